// What the catalogue's cases share: a temporary folder, small tensors and layers, and a saved
// run whose checkpoint the file cases change.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeSafetensors,
  encodeSafetensors,
  exportStateDict,
  ParamStore,
  RecurrentLayer,
  Tensor,
  loadCheckpoint,
  createRun,
  runKinds,
} from '../../index.js';

export const dir = mkdtempSync(join(tmpdir(), 'rnnlab-catalogue-'));
export const f64 = (shape: number[]) => Tensor.zeros(shape, 'f64');
export const f32 = (shape: number[]) => Tensor.zeros(shape, 'f32');
export const lstm = () => new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, dtype: 'f64' });
export const allocated = (dtype: 'f32' | 'f64' = 'f64') => {
  const store = new ParamStore(dtype);
  store.add('w', [3]);
  return store.allocate();
};
export const withNaN = (t: Tensor, at: number) => {
  t.data[at] = NaN;
  return t;
};
export const gru = () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dtype: 'f64' });
export const goodDict = () => exportStateDict(gru());
export const without = (name: string) => Object.fromEntries(Object.entries(goodDict()).filter(([k]) => k !== name));

/** A saved memory-task run and its file, for the checkpoint cases. */
export const savedRun = (() => {
  const run = createRun({ ...runKinds.adding.defaults, hiddenSize: 4, batch: 2, steps: 2 });
  run.trainStep();
  const path = join(dir, 'run.safetensors');
  run.save(path);
  return { run, path, file: decodeSafetensors(readFileSync(path)) };
})();

/** The saved run's file with one change, written beside it. */
export function changedCheckpoint(
  name: string,
  change: (
    tensors: Record<string, { shape: number[]; data: Float32Array | Float64Array }>,
    metadata: Record<string, string>,
  ) => void,
): string {
  const tensors = Object.fromEntries(
    Object.entries(savedRun.file.tensors).map(([k, v]) => [
      k,
      { shape: [...v.shape], data: (v.data as Float32Array).slice() },
    ]),
  );
  const metadata = { ...savedRun.file.metadata };
  change(tensors, metadata);
  const path = join(dir, name);
  writeFileSync(path, encodeSafetensors(tensors, metadata));
  return path;
}

export const freshRun = () => createRun({ ...runKinds.adding.defaults, hiddenSize: 4, batch: 2, steps: 2 });
export const load = (path: string) => () => {
  const run = freshRun();
  loadCheckpoint(path, { store: run.trainer.store, optimizer: run.trainer.optimizer });
};

export const runsDir = join(dir, 'runs');
mkdirSync(runsDir);
export const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);
