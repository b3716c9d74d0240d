// The fused recurrent sequence passes: each is one op, kernels plus one tape entry per
// layer and direction, over a workspace reused from pass to pass.
export { lstmSequence, LstmWorkspace, type LstmParams, type LstmPass } from './lstm.js';
export { gruSequence, GruWorkspace, type GruParams, type GruForm } from './gru.js';
export { rnnSequence, RnnWorkspace, type RnnParams } from './rnn.js';
export { checkLengths, copyLengths, stepRowOrder, type PassOutputs } from './sequence.js';
export { Workspace, WorkspacePool } from './workspace.js';
export type { LstmLayout } from '../../../kernels/js/lstmStep.js';
