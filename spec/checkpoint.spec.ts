// Checkpoints: resuming is bit-identical to not stopping; bad files are rejected whole.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '../index.js';
import { resumeRun, runKinds, TaskRun, type RunSettings } from '../experiments/index.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { trainFor } from '../train/loop.js';

const config = (over: Partial<RunSettings> = {}): RunSettings => ({
  ...runKinds[over.task ?? 'adding'].defaults,
  cell: 'lstm',
  seqLen: 8,
  hiddenSize: 6,
  batch: 4,
  steps: 12,
  testSize: 16,
  evalEvery: 0,
  ...over,
});

/** A memory-task run trained for its settings' steps. */
function trained(settings: RunSettings): TaskRun {
  const run = new TaskRun(settings);
  trainFor(run, { steps: settings.steps!, evalEvery: 0 });
  return run;
}

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-ckpt-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const bytes = (b: ArrayBufferView) => [...new Uint8Array(b.buffer, b.byteOffset, b.byteLength)];

for (const over of [
  {},
  { cell: 'gru' as const, optimizer: 'rmsprop' as const, numLayers: 2 },
  { task: 'copy', seqLen: 3, cell: 'lstm' as const, optimizer: 'sgd' as const, bidirectional: true },
]) {
  test(`saving at step 5 and resuming gives the same weights bit for bit as 12 steps straight: ${JSON.stringify(over)}`, () => {
    withDir((dir) => {
      const straight = trained(config(over));
      const first = trained(config({ ...over, steps: 5 }));
      const path = join(dir, 'run.safetensors');
      first.save(path);
      const resumed = resumeRun(path) as TaskRun;
      assert.is(resumed.step, 5);
      trainFor(resumed, { steps: 12, evalEvery: 0 });
      assert.equal(bytes(resumed.model.store.data), bytes(straight.model.store.data));
      for (const [name, buf] of straight.trainer.optimizer.state()) {
        assert.equal(bytes(resumed.trainer.optimizer.state().get(name)!), bytes(buf), name);
      }
      assert.is(resumed.trainer.optimizer.stepCount, 12);
      assert.equal(resumed.dataRng.getState(), straight.dataRng.getState());
    });
  });
}

test('the checkpoint holds parameters, optimizer state, random streams, step and config', () => {
  withDir((dir) => {
    const run = trained(config({ steps: 3 }));
    const path = join(dir, 'c.safetensors');
    run.save(path);
    const file = decodeSafetensors(readFileSync(path));
    assert.is(file.metadata.format, 'rnnlab-checkpoint/1');
    assert.is(file.metadata.step, '3');
    assert.equal(JSON.parse(file.metadata.optimizer), { name: 'adam', lr: 0.01, stepCount: 3 });
    assert.equal(Object.keys(JSON.parse(file.metadata.rngs)), ['data', 'dropout']);
    assert.is(JSON.parse(file.metadata.config).settings.task, 'adding');
    assert.ok(Object.keys(file.tensors).includes('param/rnn.l0.W'));
    assert.ok(Object.keys(file.tensors).includes('optim/exp_avg'));
  });
});

test('a truncated, corrupted or mismatched checkpoint is rejected and nothing is half-loaded', () => {
  withDir((dir) => {
    const run = trained(config({ steps: 2 }));
    const path = join(dir, 'c.safetensors');
    run.save(path);
    const target = new TaskRun(config({ steps: 2, seed: 7 }));
    const before = [...target.model.store.data];
    const good = readFileSync(path);
    writeFileSync(join(dir, 'cut.safetensors'), good.subarray(0, good.length - 10));
    assert.throws(
      () => loadCheckpoint(join(dir, 'cut.safetensors'), { store: target.model.store }),
      /data bytes but its tensors cover .* \(truncated\?\)/,
    );
    const corrupt = Buffer.from(good);
    corrupt[12] = 0;
    writeFileSync(join(dir, 'corrupt.safetensors'), corrupt);
    assert.throws(
      () => loadCheckpoint(join(dir, 'corrupt.safetensors'), { store: target.model.store }),
      /safetensors: .*corrupt\.safetensors has a header that is not valid UTF-8 JSON/,
    );
    const bigger = new TaskRun(config({ hiddenSize: 7 }));
    assert.throws(
      () => loadCheckpoint(path, { store: bigger.model.store, optimizer: bigger.trainer.optimizer }),
      /parameter rnn\.l0\.W is \[8,24\] in the file but \[9,28\] in the model; nothing was loaded/,
    );
    const sgd = new TaskRun(config({ optimizer: 'sgd' }));
    assert.throws(
      () => loadCheckpoint(path, { store: sgd.model.store, optimizer: sgd.trainer.optimizer }),
      /its optimizer is adam, the run's is sgd/,
    );
    // A file with one tensor changed in shape: everything is checked before anything is written.
    const file = decodeSafetensors(good);
    const tensors = Object.fromEntries(
      Object.entries(file.tensors).map(([k, v]) => [k, { shape: v.shape, data: v.data }]),
    );
    tensors['param/head.b'] = { shape: [2], data: Float32Array.of(1, 2) };
    writeFileSync(join(dir, 'odd.safetensors'), encodeSafetensors(tensors, file.metadata));
    assert.throws(
      () => loadCheckpoint(join(dir, 'odd.safetensors'), { store: target.model.store }),
      /parameter head\.b is \[2\] in the file but \[1\] in the model/,
    );
    assert.equal([...target.model.store.data], before);
    const notCheckpoint = join(dir, 'plain.safetensors');
    writeFileSync(notCheckpoint, encodeSafetensors({ w: { shape: [1], data: Float32Array.of(1) } }));
    assert.throws(
      () => loadCheckpoint(notCheckpoint, { store: target.model.store }),
      /format is undefined, expected rnnlab-checkpoint\/1/,
    );
  });
});

test('a checkpoint holding a NaN weight or optimizer moment is refused, naming the tensor and element', () => {
  withDir((dir) => {
    const run = trained(config({ steps: 2 }));
    const path = join(dir, 'c.safetensors');
    run.save(path);
    const saved = decodeSafetensors(readFileSync(path));
    for (const [key, at, value] of [
      ['param/rnn.l0.W', 7, NaN],
      ['optim/exp_avg_sq', 3, Infinity],
    ] as const) {
      const tensors = Object.fromEntries(
        Object.entries(saved.tensors).map(([k, v]) => [k, { shape: v.shape, data: v.data.slice() }]),
      );
      tensors[key].data[at] = value;
      const bad = join(dir, 'bad.safetensors');
      writeFileSync(bad, encodeSafetensors(tensors, saved.metadata));
      const target = new TaskRun(config({ steps: 2, seed: 9 }));
      const before = [...target.model.store.data];
      assert.throws(
        () => loadCheckpoint(bad, { store: target.model.store, optimizer: target.trainer.optimizer }),
        new RegExp(
          `checkpoint .*bad\\.safetensors: ${key.replace('.', '\\.')}\\[${at}\\] is ${value}; values must be finite, so nothing was loaded`,
        ),
      );
      assert.equal([...target.model.store.data], before);
    }
  });
});

test('saving over an existing checkpoint is atomic: a failed write leaves the old file whole', () => {
  withDir((dir) => {
    const run = trained(config({ steps: 1 }));
    const path = join(dir, 'c.safetensors');
    saveCheckpoint(path, { store: run.model.store }, 1);
    const before = readFileSync(path);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => saveCheckpoint(path, { store: run.model.store }, 2, cyclic), /circular/);
    assert.equal([...readFileSync(path)], [...before]);
    assert.equal(readdirSync(dir), ['c.safetensors']);
  });
});

test.run();
