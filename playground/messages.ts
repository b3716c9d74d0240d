// What the page and the training worker say to each other. The page sends commands; the
// worker answers with views: plain data (numbers, strings, arrays) that the panels draw.
import type { Config } from './config.js';

export type Command =
  | { kind: 'reset'; config: Config; run: number }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'step' }
  | { kind: 'live'; config: Config }
  | { kind: 'inspect' }
  | { kind: 'gradcheck' }
  | { kind: 'compare' };

/** The training loss and the held-out measure of a task, with the baselines that give them meaning. */
export interface Metric {
  /** The loss: its name with its unit, and what a model that learned nothing scores. */
  loss: { name: string; baseline: number; baselineName: string };
  /** The held-out measure (for the character tasks, the loss itself). */
  measure: { name: string; baseline: number; higherIsBetter: boolean };
}

export interface StepView {
  step: number;
  examples: number;
  loss: number;
  ms: number;
  build: 'fused' | 'unfused';
}

export interface EvalView {
  examples: number;
  loss: number;
  value: number;
}

export interface InspectView {
  /** What each step of the inspected input shows: a character, a symbol, a value. */
  symbols: string[];
  /** The character tasks' inspected text. */
  text: string | null;
  /** Each term of the cell's equations at each step: terms[name][t][unit]. */
  terms: Record<string, number[][]>;
  /** The model's five likeliest next characters after each one (character tasks). */
  top5: { symbol: string; p: number }[][] | null;
  sample: string | null;
  /** Per feature of the text, the units of c (or h) that follow it best. */
  ranking: { feature: string; state: string; top: { unit: number; r: number }[] }[] | null;
}

export interface FlowView {
  /** ‖∂L/∂h_t‖ (and ‖∂L/∂c_t‖) of the current model. */
  current: { h: number[]; c: number[] | null };
  /** The RNN, GRU and LSTM at initialisation over as many steps. */
  init: Record<string, number[]>;
}

export interface GradcheckView {
  what: string;
  ok: boolean;
  eps: number;
  atol: number;
  rtol: number;
  tensors: { name: string; shape: number[]; maxRelErr: number; failures: number }[];
}

/** What the worker reports, each report tagged with the run (the reset) it belongs to, so that the page drops those of a run it has left. */
export type Report = ReportBody & { run: number };

export type ReportBody =
  | { kind: 'ready'; backend: string; backendNote: string; metric: Metric; parameters: number; config: Config }
  | { kind: 'steps'; steps: StepView[] }
  | { kind: 'eval'; eval: EvalView }
  | { kind: 'state'; playing: boolean }
  | { kind: 'inspect'; view: InspectView }
  | { kind: 'flow'; view: FlowView }
  | { kind: 'gradcheck'; view: GradcheckView }
  | { kind: 'compare'; fused: number; unfused: number }
  | { kind: 'error'; message: string };
