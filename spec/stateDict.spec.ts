// Whole-model state dicts with PyTorch's prefixed names and layouts: a model PyTorch saved
// loads and computes PyTorch's logits; every module and model round-trips bit for bit;
// loading is strict by default; safetensors carries the dtypes a model's data comes in.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CharLM,
  decodeSafetensors,
  Embedding,
  encodeSafetensors,
  fromHalf,
  Linear,
  ParamStore,
  PosTagger,
  RecurrentLayer,
  Rng,
  Seq2Seq,
  SequenceModel,
  toHalf,
  type StateDict,
} from '../index.js';
import { relToMax, repoRoot } from './helpers.js';

const fixture = (name: string) =>
  decodeSafetensors(readFileSync(join(repoRoot, 'spec/fixtures/pytorch-model', name)), name);
const bytes = (b: ArrayBufferView) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** A state dict through the bytes of a .safetensors file and back. */
function throughFile(
  dict: StateDict & Record<string, { shape: number[]; data: Float32Array | Float64Array }>,
): StateDict {
  return decodeSafetensors(encodeSafetensors(dict)).tensors as unknown as StateDict;
}

const charLM = (seed: number, dtype: 'f32' | 'f64' = 'f64') =>
  new CharLM({
    alphabet: 'abcdefg',
    embeddingDim: 5,
    layer: { cell: 'lstm', hiddenSize: 6, numLayers: 2 },
    dtype,
    seed,
  });

test("a CharLM saved by PyTorch loads under its own names and computes PyTorch's logits", () => {
  const weights = fixture('charlm.safetensors'),
    data = fixture('charlm-data.safetensors');
  const lm = charLM(3);
  assert.equal(
    Object.keys(lm.stateDict()).sort(),
    Object.keys(weights.tensors).sort(),
    'the same names as torch state_dict()',
  );
  assert.equal(lm.loadStateDict(weights.tensors as unknown as StateDict), { missingKeys: [], unexpectedKeys: [] });
  const tokens = data.tensors.tokens;
  assert.is(tokens.dtype, 'I64');
  const [T, B] = tokens.shape;
  const { logits } = lm.forward(null, Array.from(tokens.data as BigInt64Array, Number), T, B, null);
  const expected = data.tensors.logits;
  assert.equal(logits.shape, expected.shape);
  const err = relToMax(logits.data, expected.data as Float64Array);
  assert.ok(err < 1e-13, `logits differ from PyTorch's by ${err} (relative to the largest)`);
  const W = weights.tensors['head.weight'];
  assert.equal(W.shape, [7, 6], 'PyTorch keeps Linear weights [out, in]');
  assert.is(lm.head.W.data[2 * 7 + 5], W.data[5 * 6 + 2], 'ours is [in, out]: W[2, 5] = weight[5, 2]');
});

test('a whole CharLM round-trips through a state dict and a .safetensors file bit for bit, in float32 and float64', () => {
  for (const dtype of ['f32', 'f64'] as const) {
    const a = charLM(1, dtype),
      b = charLM(2, dtype);
    assert.is.not(bytes(a.store.data), bytes(b.store.data));
    b.loadStateDict(throughFile(a.stateDict()));
    assert.is(bytes(b.store.data), bytes(a.store.data), dtype);
    const tokens = [0, 3, 6, 2, 1, 5];
    assert.is(
      bytes(b.forward(null, tokens, 3, 2, null).logits.data),
      bytes(a.forward(null, tokens, 3, 2, null).logits.data),
    );
  }
});

test('every module and model has a state dict with prefixed PyTorch names, and each round-trips', () => {
  const store = new ParamStore('f64');
  const linear = new Linear(store, 'head', 3, 2),
    embedding = new Embedding(store, 'embed', 5, 3);
  store.allocate();
  linear.initialize(new Rng(1));
  embedding.initialize(new Rng(2));
  const vocabulary = { words: ['<unk>', 'the', 'jury'], affixes: ['<unk>', 's1:e'], tags: ['DET', 'NOUN'] };
  const modules: [
    string,
    {
      stateDict(): Record<string, { shape: number[]; data: Float32Array | Float64Array }>;
      loadStateDict(d: StateDict): unknown;
      store: ParamStore;
    },
    () => { store: ParamStore; loadStateDict(d: StateDict): unknown },
    string[],
  ][] = [
    [
      'RecurrentLayer',
      new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 1 }),
      () => new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 2 }),
      ['weight_ih_l0', 'bias_hh_l0_reverse'],
    ],
    [
      'SequenceModel',
      new SequenceModel({
        input: { kind: 'tokens', vocab: 9 },
        outputs: 3,
        readout: 'last',
        layer: { cell: 'lstm', hiddenSize: 4 },
        seed: 1,
      }),
      () =>
        new SequenceModel({
          input: { kind: 'tokens', vocab: 9 },
          outputs: 3,
          readout: 'last',
          layer: { cell: 'lstm', hiddenSize: 4 },
          seed: 2,
        }),
      ['embedding.weight', 'rnn.weight_hh_l0', 'head.bias'],
    ],
    [
      'PosTagger',
      new PosTagger({ vocabulary, hiddenSize: 4, wordDim: 4, affixDim: 2, seed: 1 }),
      () => new PosTagger({ vocabulary, hiddenSize: 4, wordDim: 4, affixDim: 2, seed: 2 }),
      ['word.weight', 'affix.weight', 'shape.weight', 'rnn.weight_ih_l0_reverse', 'head.weight'],
    ],
    [
      'Seq2Seq',
      new Seq2Seq({ sourceVocab: 10, targetVocab: 10, layer: { cell: 'gru', hiddenSize: 4 }, seed: 1 }),
      () => new Seq2Seq({ sourceVocab: 10, targetVocab: 10, layer: { cell: 'gru', hiddenSize: 4 }, seed: 2 }),
      [
        'source_embedding.weight',
        'encoder.weight_ih_l0',
        'target_embedding.weight',
        'decoder.bias_ih_l0',
        'head.weight',
      ],
    ],
  ];
  for (const [name, module, fresh, someKeys] of modules) {
    const dict = module.stateDict();
    for (const key of someKeys) assert.ok(key in dict, `${name}: ${key} in ${Object.keys(dict).join(', ')}`);
    const copy = fresh();
    copy.loadStateDict(throughFile(dict));
    assert.is(bytes(copy.store.data), bytes(module.store.data), name);
  }
  assert.equal(Object.keys(linear.stateDict()), ['weight', 'bias']);
  assert.equal(linear.stateDict().weight.shape, [2, 3], "Linear exports PyTorch's [out, in]");
  assert.is(linear.stateDict().weight.data[1 * 3 + 2], linear.W.data[2 * 2 + 1]);
  assert.equal(Object.keys(embedding.stateDict()), ['weight']);
  assert.equal(embedding.stateDict().weight.shape, [5, 3]);
});

test('strict by default: missing and unexpected keys are named, all of them; strict: false loads the rest and reports them', () => {
  const source = charLM(1),
    target = charLM(2);
  const dict: StateDict = { ...source.stateDict() };
  delete dict['rnn.weight_hh_l1'];
  delete dict['head.bias'];
  dict['lstm.weight_ih_l0'] = dict['rnn.weight_ih_l0'];
  const before = bytes(target.store.data);
  assert.throws(
    () => target.loadStateDict(dict),
    /CharLM\.loadStateDict: dict must be exactly the names it expects \(embedding\.weight, .*\), or give strict: false, got missing rnn\.weight_hh_l1, head\.bias; unexpected names lstm\.weight_ih_l0/,
  );
  assert.is(bytes(target.store.data), before, 'nothing half-loaded');
  const report = target.loadStateDict(dict, { strict: false });
  assert.equal(report, { missingKeys: ['rnn.weight_hh_l1', 'head.bias'], unexpectedKeys: ['lstm.weight_ih_l0'] });
  assert.equal([...target.embedding.E.data], [...source.embedding.E.data], 'the matching keys were loaded');
  assert.not.equal([...target.head.b!.data], [...source.head.b!.data], 'the missing ones were left alone');
  const wrong = { ...source.stateDict(), 'head.weight': { shape: [6, 7], data: new Float64Array(42) } };
  assert.throws(() => target.loadStateDict(wrong, { strict: false }), /head\.weight must be \[7,6\], got \[6,7\]/);
});

test("safetensors reads the dtypes a model's data comes in: I64, I32, BOOL, U8, and F16 as PyTorch rounds it", () => {
  const t = fixture('charlm-data.safetensors').tensors;
  assert.equal([t.lengths.dtype, [...t.lengths.data]], ['I32', [4, 2, 3]]);
  assert.equal([t.mask.dtype, [...t.mask.data]], ['BOOL', [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0]]);
  assert.equal([t.bytes.dtype, [...t.bytes.data]], ['U8', [0, 1, 127, 128, 254, 255]]);
  assert.is(t.logits_f16.dtype, 'F16');
  assert.ok(t.logits_f16.data instanceof Float32Array, 'F16 is read into float32');
  assert.equal([...t.logits_f16.data], [...t.logits_f16_values.data], 'the same values torch reads back');
  const mine = encodeSafetensors({ h: { shape: t.logits.shape, data: t.logits.data as Float64Array, dtype: 'F16' } });
  const theirs = readFileSync(join(repoRoot, 'spec/fixtures/pytorch-model/charlm-data.safetensors'));
  const header = (b: Uint8Array) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  const halves = (b: Uint8Array, at: number, n: number) =>
    Array.from({ length: n }, (_, q) => new DataView(b.buffer, b.byteOffset).getUint16(at + 2 * q, true));
  const file = JSON.parse(new TextDecoder().decode(theirs.subarray(8, 8 + header(theirs)))) as Record<
    string,
    { data_offsets: number[] }
  >;
  const n = t.logits.data.length;
  assert.equal(
    halves(mine, 8 + header(mine), n),
    halves(theirs, 8 + header(theirs) + file.logits_f16.data_offsets[0], n),
    'toHalf rounds as torch does',
  );
});

test('safetensors writes every dtype and reads it back; F16 rounds to nearest even, and refuses a finite value it would turn into Infinity', () => {
  const file = decodeSafetensors(
    encodeSafetensors({
      ids: { shape: [3], data: BigInt64Array.of(0n, -5n, 9007199254740993n) },
      counts: { shape: [2], data: Int32Array.of(-7, 2147483647) },
      flags: { shape: [3], data: Uint8Array.of(1, 0, 1), dtype: 'BOOL' },
      raw: { shape: [2], data: Uint8Array.of(3, 250) },
      half: {
        shape: [7],
        data: Float32Array.of(1, 65504, 65519, 1 + 2 ** -11, 2 ** -24, -0.1, -Infinity),
        dtype: 'F16',
      },
    }),
  );
  assert.equal([...file.tensors.ids.data], [0n, -5n, 9007199254740993n]);
  assert.equal([file.tensors.counts.dtype, ...file.tensors.counts.data], ['I32', -7, 2147483647]);
  assert.equal([file.tensors.flags.dtype, ...file.tensors.flags.data], ['BOOL', 1, 0, 1]);
  assert.equal([file.tensors.raw.dtype, ...file.tensors.raw.data], ['U8', 3, 250]);
  assert.equal([...file.tensors.half.data], [1, 65504, 65504, 1, 2 ** -24, fromHalf(toHalf(-0.1)), -Infinity]);
  assert.throws(
    () => encodeSafetensors({ w: { shape: [2], data: Float32Array.of(65520, 1), dtype: 'F16' } }),
    /tensor w must be within F16's range \(±65504\) to be written as F16 \(write it as F32, or scale it\), got 65520 at w\[0\], its largest value/,
  );
  assert.is(fromHalf(toHalf(-0.1)), -0.0999755859375);
  assert.throws(
    () => encodeSafetensors({ b: { shape: [1], data: Uint8Array.of(2), dtype: 'BOOL' } }),
    /tensor b\[0\] must be 0 or 1 in a BOOL tensor, got 2/,
  );
  assert.throws(
    () => encodeSafetensors({ i: { shape: [1], data: Int32Array.of(1), dtype: 'F16' } }),
    /dtype of tensor i must be one its Int32Array can hold \(I32\), got 'F16'/,
  );
});

test.run();
