// One module interface (cells/module.ts): parameters(), stateDict() / loadStateDict() and
// summary() on layers, Linear, Embedding and models, and the lectures' parameter counts read
// from summary().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CharLM, Embedding, Linear, ParamStore, RecurrentLayer, SequenceModel, type LayerOptions } from '../index.js';
import { repoRoot } from './helpers.js';

const I = 10,
  H = 20;
const total = (options: Partial<LayerOptions>) =>
  new RecurrentLayer({ inputSize: I, hiddenSize: H, cell: 'rnn', ...options }).summary().total;

test("summary() gives the lectures' counts: an LSTM 4×, a GRU 3× an Elman RNN of the same sizes, a bidirectional layer 2×", () => {
  const rnn = total({ cell: 'rnn' });
  assert.is(rnn, H * I + H * H + 2 * H, 'nn.RNN(10, 20): W_ih, W_hh and two biases, 640');
  assert.is(total({ cell: 'lstm' }), 4 * rnn);
  assert.is(total({ cell: 'gru' }), 3 * rnn);
  assert.is(total({ cell: 'rnn', bidirectional: true }), 2 * rnn);
  assert.is(total({ cell: 'lstm', bidirectional: true }), 8 * rnn);
  assert.is(
    total({ cell: 'lstm', numLayers: 2 }),
    4 * rnn + 4 * (H * H + H * H + 2 * H),
    'the second layer reads H, not I',
  );
});

test("summary() lists each parameter under PyTorch's name and shape, with its count, and prints a table", () => {
  const s = new RecurrentLayer({ inputSize: I, hiddenSize: H, cell: 'lstm' }).summary();
  assert.equal(
    s.rows.map((r) => [r.name, r.shape, r.count]),
    [
      ['weight_ih_l0', [4 * H, I], 4 * H * I],
      ['weight_hh_l0', [4 * H, H], 4 * H * H],
      ['bias_ih_l0', [4 * H], 4 * H],
      ['bias_hh_l0', [4 * H], 4 * H],
    ],
  );
  const table = String(s).split('\n');
  assert.ok(
    table.some((l) => /^weight_ih_l0\s+\[80, 10\]\s+800$/.test(l)),
    table.join('\n'),
  );
  assert.ok(/^total\s+2,560$/.test(table.at(-1)!), table.at(-1));
});

test('every module shares the interface: the summary counts what the store holds, and parameters() are its tensors, each once', () => {
  const store = new ParamStore('f32');
  const linear = new Linear(store, 'head', 7, 3),
    embedding = new Embedding(store, 'embedding', 11, 5);
  store.allocate();
  assert.is(linear.summary().total, 7 * 3 + 3);
  assert.equal(linear.parameters(), [linear.W, linear.b]);
  assert.equal(embedding.parameters(), [embedding.E]);
  const models = [
    new CharLM({
      alphabet: CharLM.alphabetOf('a small text to learn'),
      layer: { cell: 'gru', hiddenSize: 8 },
      seed: 1,
    }),
    new SequenceModel({
      input: { kind: 'tokens', vocab: 9 },
      outputs: 2,
      readout: 'last',
      layer: { cell: 'lstm', hiddenSize: 6, bidirectional: true },
      embeddingDim: 4,
      seed: 1,
    }),
  ];
  for (const model of models) {
    const params = model.parameters();
    assert.is(new Set(params).size, params.length);
    assert.is(model.summary().total, model.store.size, `${model.constructor.name}: the summary counts every parameter`);
    assert.is(
      params.reduce((n, t) => n + t.size, 0),
      model.store.size,
    );
    const dict = model.stateDict();
    assert.equal(
      Object.keys(dict),
      model.summary().rows.map((r) => r.name),
      'the summary and the state dict name the same tensors',
    );
    model.loadStateDict(dict);
  }
});

test('train --summary prints the model of the run the flags describe, and trains nothing', () => {
  const runs = mkdtempSync(join(tmpdir(), 'rnnlab-summary-'));
  try {
    const r = spawnSync(
      process.execPath,
      [
        join(repoRoot, 'dist/cli/main.js'),
        'train',
        '--task',
        'adding',
        '--cell',
        'gru',
        '--hidden',
        '8',
        '--summary',
        '--runs',
        runs,
        '--json',
      ],
      { encoding: 'utf8' },
    );
    assert.is(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.is(
      json.total,
      json.parameters.reduce((n: number, p: { count: number }) => n + p.count, 0),
    );
    assert.ok(
      json.parameters.some(
        (p: { name: string; shape: number[] }) => p.name === 'rnn.weight_hh_l0' && p.shape.join() === '24,8',
      ),
      r.stdout,
    );
    assert.ok(r.stdout.includes('rnn.weight_ih_l0'), 'the table is printed too');
    assert.equal(readdirSync(runs), [], 'no run folder');
  } finally {
    rmSync(runs, { recursive: true });
  }
});

test.run();
