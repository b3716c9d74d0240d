// `rnnlab train --task NAME --cell NAME ...`: train on one of the classic memory tasks.
import { cellKinds, type CellKind } from '../index.js';
import { optimizerNames, type OptimizerName } from '../train/optimizers.js';
import { defaultRunConfig, TaskRun, type RunConfig } from '../train/run.js';
import { taskNames } from '../train/tasks/index.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';

const d = defaultRunConfig;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a recurrent network on a classic memory task (adding, copy, order, arith, xml)',
  usage: '--task NAME --cell NAME [--seq-len N --hidden N --layers N --bidirectional --batch N --steps N --lr X --optimizer NAME --clip X --seed N --save FILE --resume FILE --json]',
  options: {
    task: { type: 'string', help: 'the task', choices: taskNames },
    cell: { type: 'string', help: 'the recurrent cell', choices: cellKinds },
    'seq-len': { type: 'number', help: 'the task\'s length: T (adding 50, copy 20, order 60, xml 60) or the digits of arith (3)' },
    hidden: { type: 'number', help: 'hidden units per layer and direction', default: d.hidden },
    layers: { type: 'number', help: 'stacked layers', default: d.layers },
    bidirectional: { type: 'flag', help: 'run each layer in both directions' },
    batch: { type: 'number', help: 'sequences per step', default: d.batch },
    steps: { type: 'number', help: 'training steps (in total, when resuming)', default: d.steps },
    lr: { type: 'number', help: 'learning rate', default: d.lr },
    optimizer: { type: 'string', help: 'optimizer', choices: optimizerNames, default: d.optimizer },
    clip: { type: 'number', help: 'clip the global gradient norm to this (0: no clipping)', default: d.clip },
    seed: { type: 'number', help: 'seed of the initialisation and the data', default: d.seed },
    'eval-every': { type: 'number', help: 'evaluate on the test set every N steps', default: d.evalEvery },
    save: { type: 'string', help: 'write a checkpoint here at the end' },
    resume: { type: 'string', help: 'continue the run saved in this checkpoint (its settings are kept; --steps may extend it)' },
    ...commonOptions,
  },
  run(options) {
    const int = (name: string, min: number): number => {
      const v = options[name] as number;
      if (!Number.isInteger(v) || v < min) throw new UsageError(`train: --${name} must be an integer ≥ ${min}, got ${v}`);
      return v;
    };
    let run: TaskRun;
    if (options.resume !== undefined) {
      run = TaskRun.resume(options.resume as string, { steps: int('steps', 1) });
    } else {
      if (options.task === undefined) throw new UsageError('train: --task is required (adding, copy, order, arith, xml)');
      if (options.cell === undefined) throw new UsageError('train: --cell is required (rnn, lstm, gru, mut1, mut2, mut3)');
      const config: RunConfig = {
        ...d,
        task: options.task as string,
        cell: options.cell as CellKind,
        seqLen: options['seq-len'] === undefined ? undefined : int('seq-len', 1),
        hidden: int('hidden', 1), layers: int('layers', 1), bidirectional: Boolean(options.bidirectional),
        batch: int('batch', 1), steps: int('steps', 1), lr: options.lr as number,
        optimizer: options.optimizer as OptimizerName, clip: options.clip as number, seed: int('seed', 0),
        evalEvery: int('eval-every', 0),
      };
      run = new TaskRun(config);
    }
    const c = run.config;
    console.log(`${run.task.name}: ${run.task.description}`);
    console.log(`${c.cell}, ${c.layers} layer(s) of ${c.hidden}${c.bidirectional ? ', bidirectional' : ''}, ${run.model.parameterCount()} parameters; ${c.optimizer} lr ${c.lr}, clip ${c.clip || 'off'}, batch ${c.batch}, seed ${c.seed}`);
    console.log(`${run.task.metric.name} baseline ${run.task.metric.baseline.toFixed(4)} (${run.task.metric.higherIsBetter ? 'higher' : 'lower'} is better)`);
    const started = Date.now();
    const first = run.step;
    const summary = run.run({
      onEvaluation(e) {
        const ms = (Date.now() - started) / (e.step - first);
        console.log(`step ${e.step}  examples ${e.examples}  train loss ${e.trainLoss.toFixed(4)}  test ${run.task.metric.name} ${e.value.toFixed(4)}  ${ms.toFixed(1)} ms/step`);
      },
    });
    if (options.save !== undefined) {
      run.save(options.save as string);
      console.log(`saved ${options.save}`);
    }
    console.log(`final test ${summary.metric} ${summary.value.toFixed(4)} after ${summary.steps} steps (baseline ${summary.baseline.toFixed(4)})`);
    if (options.json) {
      const { task, cell, steps, examples, metric, value, baseline } = summary;
      console.log(JSON.stringify({ task, cell, steps, examples, metric, value, baseline }));
    }
    return 0;
  },
};
