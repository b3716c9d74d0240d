// Every kind of training run under one name: its defaults, the settings it takes beyond the
// common ones, how to build it, and how to rebuild one from its checkpoint. The CLI's
// `train` and the specs go through here, so a new task is one entry.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, FormatError, type ParamStore } from '../core/index.js';
import { CharLM, PosTagger, type PosVocabulary, type WordLM } from '../models/index.js';
import { taskSizes, type TaskName } from '../tasks/index.js';
import { loadCheckpoint } from '../train/index.js';
import { CharsRun } from './charsRun.js';
import { GenreRun } from './genreRun.js';
import { PosRun } from './posRun.js';
import { cellChoice, readSavedRun, type Run, type RunSettings } from './runBase.js';
import { SpellRun } from './spellRun.js';
import { wordModel, WordLMRun } from './wordlmRun.js';
import { TaskRun } from './taskRun.js';

/** Settings only some kinds take. */
export type ExtraSetting = 'seqLen' | 'testSize' | 'tagset';

export interface RunKind {
  readonly name: string;
  readonly summary: string;
  readonly defaults: RunSettings;
  /** The task-specific settings this kind takes; the others must be absent. */
  readonly extras: readonly ExtraSetting[];
  /** Build a fresh run; `model` is what a checkpoint saved to rebuild the same model (a vocabulary). */
  create(settings: RunSettings, model?: unknown): Run;
}

const common = {
  cell: 'lstm', numLayers: 1, optimizer: 'adam', seed: 1, minutes: 0, onNonFinite: 'stop',
} as const;

function memoryKind(name: TaskName, summary: string): RunKind {
  return {
    name, summary, extras: ['seqLen', 'testSize'],
    defaults: {
      ...common, task: name, hiddenSize: 32, bidirectional: false, batch: 64, lr: 0.01, clip: 1,
      steps: 1000, evalEvery: 250, seqLen: taskSizes[name], testSize: 512,
    },
    create: (settings) => new TaskRun(settings),
  };
}

export const runKinds: Readonly<Record<string, RunKind>> = {
  adding: memoryKind('adding', 'the adding problem: sum two marked values among T'),
  copy: memoryKind('copy', 'copy a sequence after a delay'),
  order: memoryKind('order', 'the temporal-order problem'),
  arith: memoryKind('arith', 'add two numbers read digit by digit'),
  xml: memoryKind('xml', 'close the open XML tags'),
  spell: {
    name: 'spell', summary: 'spell a number in English words from its digits (one-to-many)', extras: [],
    defaults: { ...common, task: 'spell', hiddenSize: 64, bidirectional: false, batch: 32, lr: 0.01, clip: 5, steps: 400, evalEvery: 50 },
    create: (settings) => new SpellRun(settings),
  },
  wordlm: {
    name: 'wordlm', summary: 'a word-level language model of the Brown text (Elman network with the sigmoid)', extras: [],
    defaults: { ...common, task: 'wordlm', cell: 'rnn', hiddenSize: 100, bidirectional: false, batch: 32, lr: 0.003, clip: 5, steps: 900, evalEvery: 300 },
    create: (settings, model) => new WordLMRun(settings, (model as { words?: string[] } | null)?.words),
  },
  pos: {
    name: 'pos', summary: 'part-of-speech tagging of the Brown corpus', extras: ['tagset'],
    defaults: { ...common, task: 'pos', tagset: 'universal', hiddenSize: 64, bidirectional: true, batch: 32, lr: 0.005, clip: 5, steps: 1200, evalEvery: 400 },
    create: (settings, model) => new PosRun(settings, (model as { vocabulary?: PosVocabulary } | null)?.vocabulary),
  },
  genre: {
    name: 'genre', summary: 'the genre of a Brown sentence', extras: [],
    defaults: { ...common, task: 'genre', hiddenSize: 64, bidirectional: false, batch: 32, lr: 0.003, clip: 5, steps: 1500, evalEvery: 500 },
    create: (settings, model) => new GenreRun(settings, (model as { words?: string[] } | null)?.words),
  },
  chars: {
    name: 'chars', summary: 'a character language model of the Brown text', extras: [],
    defaults: { ...common, task: 'chars', hiddenSize: 64, bidirectional: false, batch: 32, lr: 0.01, clip: 5, steps: null, minutes: 1, evalEvery: 25 },
    create: (settings, model) => new CharsRun(settings, (model as { alphabet?: string } | null)?.alphabet),
  },
};

export const runNames: readonly string[] = Object.keys(runKinds);

/** The kind of run a task name names. */
export function runKind(task: string): RunKind {
  const kind = runKinds[task];
  if (kind === undefined) throw new ArgumentError('train', 'task', `one of ${runNames.join(', ')}`, task);
  return kind;
}

/** A fresh run of the given settings (a kind's defaults with the caller's changes). */
export function createRun(settings: RunSettings): Run {
  return runKind(settings.task).create(settings);
}

/** Rebuild the run a checkpoint holds, with its state restored, so that it continues bit for bit. */
export function resumeRun(path: string): Run {
  const file = checkpointFile(path);
  const saved = readSavedRun(file);
  const run = runKind(saved.settings.task).create(saved.settings, saved.model);
  run.load(file);
  return run;
}

/** A checkpoint path: the file itself, or a run folder holding model.safetensors. */
export function checkpointFile(path: string): string {
  if (!existsSync(path)) throw new ArgumentError('checkpoint', 'path', 'an existing file or run folder', path);
  if (!statSync(path).isDirectory()) return path;
  const inside = join(path, 'model.safetensors');
  if (!existsSync(inside)) throw new FormatError('checkpoint', path, 'is a folder without a model.safetensors (give a run folder or the file itself)');
  return inside;
}

/** The trained model of a saved run of the given task, weights loaded (no optimizer, no data). */
function savedModel<M extends { store: ParamStore }>(path: string, task: string, build: (settings: RunSettings, model: unknown) => M): M {
  const file = checkpointFile(path);
  const saved = readSavedRun(file);
  if (saved.settings.task !== task) throw new FormatError('checkpoint', file, `holds a ${saved.settings.task} model, not a ${task} model`);
  const model = build(saved.settings, saved.model);
  loadCheckpoint(file, { store: model.store });
  return model;
}

/** The character model a chars run saved. */
export function loadCharModel(path: string): CharLM {
  return savedModel<CharLM>(path, 'chars', (s, model) => new CharLM({
    alphabet: (model as { alphabet: string }).alphabet, layer: { ...cellChoice(s), hiddenSize: s.hiddenSize, numLayers: s.numLayers }, seed: s.seed,
  }));
}

/** The word model a wordlm run saved. */
export function loadWordModel(path: string): WordLM {
  return savedModel<WordLM>(path, 'wordlm', (s, model) => wordModel(s, (model as { words: string[] }).words));
}

/** The tagger a pos run saved. */
export function loadTagger(path: string): PosTagger {
  return savedModel<PosTagger>(path, 'pos', (s, model) => new PosTagger({
    vocabulary: (model as { vocabulary: PosVocabulary }).vocabulary, cell: cellChoice(s), hiddenSize: s.hiddenSize, numLayers: s.numLayers, bidirectional: s.bidirectional, seed: s.seed,
  }));
}
