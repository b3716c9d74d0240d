// Resume is bit-identical for every kind of run: saving after 3 steps and resuming gives
// the same weights, optimizer state and random streams after 6 steps as 6 steps straight.
// For the character model this needs its place in the text streams and the state it
// carries from chunk to chunk, both in the checkpoint.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRun, resumeRun, runKinds, runNames, type Run, type RunSettings } from '../experiments/index.js';
import { trainFor } from '../train/loop.js';

function settingsOf(task: string, steps: number): RunSettings {
  const d = runKinds[task].defaults;
  return {
    ...d,
    hiddenSize: 4,
    batch: 3,
    evalEvery: 0,
    seed: 5,
    testSize: d.testSize === undefined ? undefined : 8,
    steps,
  };
}

const bytes = (b: ArrayBufferView) => [...new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];

function stateOf(run: Run) {
  const opt = run.trainer.optimizer;
  return {
    params: bytes(run.trainer.store.data),
    optimizer: [...opt.state()].map(([name, b]) => [name, bytes(b)]),
    steps: [run.step, opt.stepCount],
  };
}

/**
 * Train to `steps` as the CLI does, a final evaluation included (it must not disturb what
 * a resumed run continues from); wordlm steps only, since its evaluation reads 125,000
 * dev words through a 5,000-way softmax, most of a minute on the js backend.
 */
function stepTo(run: Run, steps: number): void {
  if (run.settings.task !== 'wordlm') trainFor(run, { steps, evalEvery: 0 });
  else while (run.step < steps) run.trainStep();
}

for (const task of runNames) {
  test(`${task}: save at step 3, resume, step to 6: bit for bit the run that never stopped`, () => {
    const dir = mkdtempSync(join(tmpdir(), `rnnlab-resume-${task}-`));
    try {
      const straight = createRun(settingsOf(task, 6));
      stepTo(straight, 6);
      const first = createRun(settingsOf(task, 6));
      stepTo(first, 3);
      const path = join(dir, 'run.safetensors');
      first.save(path);
      const resumed = resumeRun(path);
      assert.is(resumed.step, 3);
      stepTo(resumed, 6);
      // Compared as text: a diff of two long byte arrays would take uvu minutes to print.
      const [a, b] = [JSON.stringify(stateOf(resumed)), JSON.stringify(stateOf(straight))];
      assert.ok(
        a === b,
        `the resumed run differs from the straight one from character ${[...a].findIndex((ch, q) => ch !== b[q])}`,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
}

test("a cell's own options (the GRU's convention, an LSTM variant and forget bias, the RNN's nonlinearity) reach the model and come back from a checkpoint", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-resume-cell-'));
  try {
    const choices: [Partial<RunSettings>, (cell: Record<string, unknown>) => unknown, unknown][] = [
      [{ cell: 'gru', updateGate: 'writes' }, (c) => c.updateGate, 'writes'],
      [{ cell: 'rnn', nonlinearity: 'sigmoid' }, (c) => c.nonlinearity, 'sigmoid'],
      [{ cell: 'lstm', variant: 'nfg,peephole' }, (c) => [...(c.variant as Set<string>)].sort().join(), 'nfg,peephole'],
      [{ cell: 'lstm', forgetBias: -2 }, (c) => c.forgetBias, -2],
      [{ cell: 'lstm' }, (c) => c.forgetBias, 1],
      [{ cell: 'lstm', variant: 'nfg' }, (c) => c.forgetBias, undefined],
    ];
    for (const [choice, read, expected] of choices) {
      const run = createRun({ ...settingsOf('adding', 1), ...choice });
      const cellOf = (r: Run) =>
        (r as unknown as { model: { rnn: { cells: Record<string, unknown>[][] } } }).model.rnn.cells[0][0];
      assert.equal(read(cellOf(run)), expected, JSON.stringify(choice));
      const path = join(dir, 'run.safetensors');
      run.save(path);
      const resumed = resumeRun(path);
      assert.equal(read(cellOf(resumed)), expected, `${JSON.stringify(choice)} resumed`);
      assert.equal(stateOf(resumed).params, stateOf(run).params);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test.run();
