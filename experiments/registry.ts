// Every kind of training run under one name: its defaults, the settings it takes beyond the
// common ones, how to build it, and how to rebuild one from its checkpoint. The CLI's
// `train` and the specs go through here, so a new task is one entry.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError, FormatError, type ParamStore } from '../core/index.js';
import { CharLM, PosTagger, type PosVocabulary, type WordLM } from '../models/index.js';
import type { TaskName } from '../tasks/index.js';
import { loadCheckpoint } from '../train/index.js';
import { CharsRun } from './charsRun.js';
import { GenreRun } from './genreRun.js';
import { PosRun } from './posRun.js';
import { readSavedRun, type Run } from './runBase.js';
import { cellChoice, completeSettings, taskSettings, type RunSettings, type TaskSettings } from './settings.js';
import { SpellRun } from './spellRun.js';
import { wordModel, WordLMRun } from './wordlmRun.js';
import { TaskRun } from './taskRun.js';

export interface RunKind extends TaskSettings {
  readonly name: string;
  readonly summary: string;
  /** Build a fresh run; `model` is what a checkpoint saved to rebuild the same model (a vocabulary). */
  create(settings: RunSettings, model?: unknown): Run;
}

const kind = (name: string, summary: string, create: RunKind['create']): RunKind => ({
  ...taskSettings[name],
  name,
  summary,
  create,
});
const memoryKind = (name: TaskName, summary: string) => kind(name, summary, (settings) => new TaskRun(settings));

export const runKinds: Readonly<Record<string, RunKind>> = {
  adding: memoryKind('adding', 'the adding problem: sum two marked values among T'),
  copy: memoryKind('copy', 'copy a sequence after a delay'),
  order: memoryKind('order', 'the temporal-order problem'),
  arith: memoryKind('arith', 'add two numbers read digit by digit'),
  xml: memoryKind('xml', 'close the open XML tags'),
  spell: kind(
    'spell',
    'spell a number in English words from its digits (one-to-many)',
    (settings) => new SpellRun(settings),
  ),
  wordlm: kind(
    'wordlm',
    'a word-level language model of the Brown text (Elman network with the sigmoid)',
    (settings, model) => new WordLMRun(settings, (model as { words?: string[] } | null)?.words),
  ),
  pos: kind(
    'pos',
    'part-of-speech tagging of the Brown corpus',
    (settings, model) => new PosRun(settings, (model as { vocabulary?: PosVocabulary } | null)?.vocabulary),
  ),
  genre: kind(
    'genre',
    'the genre of a Brown sentence',
    (settings, model) => new GenreRun(settings, (model as { words?: string[] } | null)?.words),
  ),
  chars: kind(
    'chars',
    'a character language model of the Brown text',
    (settings, model) => new CharsRun(settings, (model as { alphabet?: string } | null)?.alphabet),
  ),
};

export const runNames: readonly string[] = Object.keys(runKinds);

/** The kind of run a task name names. */
export function runKind(task: string): RunKind {
  const kind = runKinds[task];
  if (kind === undefined) throw new ArgumentError('train', 'task', `one of ${runNames.join(', ')}`, task);
  return kind;
}

/** A fresh run of the given settings (a kind's defaults with the caller's changes; checked and completed by the run). */
export function createRun(settings: RunSettings): Run {
  return runKind(settings.task).create(settings);
}

/** Rebuild the run a checkpoint holds, with its state restored, so that it continues bit for bit. */
export function resumeRun(path: string): Run {
  const file = checkpointFile(path);
  const saved = readSavedRun(file);
  const settings = savedSettings(file, saved.settings);
  const run = runKind(settings.task).create(settings, saved.model);
  run.load(file);
  return run;
}

/** A checkpoint's settings, checked as a new run's are: a value no run takes is the file's fault, named with it. */
function savedSettings(file: string, settings: RunSettings): RunSettings {
  if (runKinds[settings.task] === undefined)
    throw new FormatError(
      'checkpoint',
      file,
      `holds a run of task ${JSON.stringify(settings.task)}, not one of ${runNames.join(', ')}`,
    );
  try {
    return completeSettings(settings);
  } catch (err) {
    if (err instanceof ArgumentError)
      throw new FormatError(
        'checkpoint',
        file,
        `holds settings no run is built from: ${err.argument} must be ${err.expected}, got ${err.got}`,
      );
    throw err;
  }
}

/** A checkpoint path: the file itself, or a run folder holding model.safetensors. */
export function checkpointFile(path: string): string {
  if (!existsSync(path)) throw new ArgumentError('checkpoint', 'path', 'an existing file or run folder', path);
  if (!statSync(path).isDirectory()) return path;
  const inside = join(path, 'model.safetensors');
  if (!existsSync(inside))
    throw new FormatError(
      'checkpoint',
      path,
      'is a folder without a model.safetensors (give a run folder or the file itself)',
    );
  return inside;
}

/** The trained model of a saved run of the given task, weights loaded (no optimizer, no data). */
function savedModel<M extends { store: ParamStore }>(
  path: string,
  task: string,
  build: (settings: RunSettings, model: unknown) => M,
): M {
  const file = checkpointFile(path);
  const saved = readSavedRun(file);
  if (saved.settings.task !== task)
    throw new FormatError('checkpoint', file, `holds a ${saved.settings.task} model, not a ${task} model`);
  const model = build(savedSettings(file, saved.settings), saved.model);
  loadCheckpoint(file, { store: model.store });
  return model;
}

/** The character model a chars run saved. */
export function loadCharModel(path: string): CharLM {
  return savedModel<CharLM>(
    path,
    'chars',
    (s, model) =>
      new CharLM({
        alphabet: (model as { alphabet: string }).alphabet,
        layer: { ...cellChoice(s), hiddenSize: s.hiddenSize, numLayers: s.numLayers },
        seed: s.seed,
      }),
  );
}

/** The word model a wordlm run saved. */
export function loadWordModel(path: string): WordLM {
  return savedModel<WordLM>(path, 'wordlm', (s, model) => wordModel(s, (model as { words: string[] }).words));
}

/** The tagger a pos run saved. */
export function loadTagger(path: string): PosTagger {
  return savedModel<PosTagger>(
    path,
    'pos',
    (s, model) =>
      new PosTagger({
        vocabulary: (model as { vocabulary: PosVocabulary }).vocabulary,
        cell: cellChoice(s),
        hiddenSize: s.hiddenSize,
        numLayers: s.numLayers,
        bidirectional: s.bidirectional,
        seed: s.seed,
      }),
  );
}
