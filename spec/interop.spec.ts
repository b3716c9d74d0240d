// PyTorch state dicts and .safetensors files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors, loadSafetensors, saveSafetensors } from '../index.js';
import { exportStateDict, importStateDict } from '../cells/interop.js';
import type { StateDict } from '../cells/stateDict.js';
import { RecurrentLayer, type LayerOptions } from '../cells/layer.js';
import { Tensor } from '../core/tensor.js';
import { readGoldenCase } from '../checks/golden.js';
import { repoRoot } from './helpers.js';

const golden = (name: string) => readGoldenCase(join(repoRoot, 'spec/fixtures/golden', name));

const layers: Omit<LayerOptions, 'dtype'>[] = [
  { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
  { cell: 'gru', inputSize: 4, hiddenSize: 3 },
  { cell: 'gru', inputSize: 4, hiddenSize: 3, updateGate: 'writes', resetAfter: false },
  { cell: 'rnn', inputSize: 2, hiddenSize: 3, numLayers: 2, bias: false },
  { cell: 'lstm', inputSize: 3, hiddenSize: 2, variant: ['peephole', 'cifg'], bias: 'single' },
  { cell: 'lstm', inputSize: 3, hiddenSize: 2, variant: 'fgr' },
  { cell: 'mut3', inputSize: 3, hiddenSize: 2 },
];

for (const dtype of ['f64', 'f32'] as const) {
  for (const options of layers) {
    test(`export(import(s)) returns every tensor bit for bit: ${dtype} ${JSON.stringify(options)}`, () => {
      const source = new RecurrentLayer({ ...options, dtype, seed: 1 });
      const s = exportStateDict(source);
      const target = new RecurrentLayer({ ...options, dtype, seed: 2 });
      importStateDict(target, s);
      const back = exportStateDict(target);
      assert.equal(Object.keys(back).sort(), Object.keys(s).sort());
      for (const [name, t] of Object.entries(s)) {
        assert.equal(back[name].shape, t.shape, name);
        assert.equal(
          new Uint8Array(back[name].data.buffer, back[name].data.byteOffset, back[name].data.byteLength),
          new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength),
          name,
        );
      }
      assert.equal([...target.store.data], [...source.store.data], 'and the parameters themselves');
    });
  }
}

test("a GRU whose z writes loads PyTorch's GRU (whose z keeps) and gives its outputs, in both builds; its own z rows are the negated ones", () => {
  const g = golden('gru_b3_t5_i4_h6.json');
  const x = Tensor.from(g.inputs.x.data, g.inputs.x.shape, 'f64'),
    h0 = Tensor.from(g.inputs.h0.data, g.inputs.h0.shape, 'f64');
  const params = Object.fromEntries(
    Object.entries(g.params).map(([k, v]) => [k, { shape: v.shape, data: Float64Array.from(v.data) }]),
  );
  const writes = new RecurrentLayer({ cell: 'gru', inputSize: 4, hiddenSize: 6, dtype: 'f64', updateGate: 'writes' });
  const keeps = new RecurrentLayer({ cell: 'gru', inputSize: 4, hiddenSize: 6, dtype: 'f64' });
  importStateDict(writes, params);
  importStateDict(keeps, params);
  const H = 6,
    W = writes.store.get('gru.l0.W').data,
    Wk = keeps.store.get('gru.l0.W').data;
  for (let q = 0; q < W.length; q++) {
    const inZ = q % (3 * H) >= H && q % (3 * H) < 2 * H;
    assert.ok(Object.is(W[q], inZ ? -Wk[q] : Wk[q]), `W[${q}]`);
  }
  for (const build of ['fused', 'unfused'] as const) {
    const y = writes.forward(null, x, { h0, build }).y.data;
    const expected = g.outputs.y.data;
    assert.ok(
      y.every((v, q) => Math.abs(v - expected[q]) < 1e-12),
      `${build}: PyTorch's y`,
    );
  }
});

test('the PyTorch names of an nn.LSTM with two bidirectional layers, and the gate order i, f, g, o', () => {
  const g = golden('lstm_2layer_bidir_b2_t4_i3_h5.json');
  const layer = new RecurrentLayer({
    cell: 'lstm',
    inputSize: 3,
    hiddenSize: 5,
    numLayers: 2,
    bidirectional: true,
    dtype: 'f64',
  });
  importStateDict(layer, g.params);
  assert.equal(Object.keys(exportStateDict(layer)).sort(), Object.keys(g.params).sort());
  // Our block f is PyTorch's second block: W[p, 0·H + j] = weight_ih_l0[1·H + j, p].
  const W = layer.cells[0][0].namedParameters()[0][1];
  const H = 5,
    G = 20;
  assert.is(W.data[2 * G + 0 * H + 1], g.params.weight_ih_l0.data[(H + 1) * 3 + 2]);
  assert.is(W.data[2 * G + 1 * H + 1], g.params.weight_ih_l0.data[(0 + 1) * 3 + 2], 'our i is their first block');
  assert.is(
    W.data[(3 + 4) * G + 3 * H + 0],
    g.params.weight_hh_l0.data[(3 * H + 0) * 5 + 4],
    'recurrent rows follow the input rows',
  );
});

test('importStateDict rejects a bad dict and leaves the layer as it was', () => {
  const layer = new RecurrentLayer({ cell: 'gru', inputSize: 3, hiddenSize: 4, dtype: 'f64' });
  const before = [...layer.store.data];
  const good = exportStateDict(layer);
  const without = (name: string): StateDict => Object.fromEntries(Object.entries(good).filter(([k]) => k !== name));
  assert.throws(
    () => importStateDict(layer, without('bias_hh_l0')),
    /importStateDict: dict must be exactly the names it expects \(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0\), or give strict: false, got missing bias_hh_l0/,
  );
  assert.throws(
    () => importStateDict(layer, { ...good, weight_ih_l1: good.weight_ih_l0 }),
    /unexpected names weight_ih_l1/,
  );
  assert.throws(
    () => importStateDict(layer, { ...good, weight_hh_l0: { shape: [4, 12], data: good.weight_hh_l0.data } }),
    /weight_hh_l0 must be \[12,4\], got \[4,12\]/,
  );
  const nan = { shape: [12], data: Float64Array.from(good.bias_ih_l0.data, (v, q) => (q === 5 ? NaN : v + 1)) };
  assert.throws(
    () =>
      importStateDict(layer, {
        ...good,
        bias_ih_l0: nan,
        weight_ih_l0: { shape: [12, 3], data: new Float64Array(36).fill(9) },
      }),
    /bias_ih_l0\[5\] is NaN; values must be finite/,
  );
  assert.equal([...layer.store.data], before, 'nothing was half-loaded');
});

test("importStateDict checks finiteness after converting to the layer's dtype: 1e300 is Infinity in float32", () => {
  const f64 = new RecurrentLayer({ cell: 'rnn', inputSize: 2, hiddenSize: 3, dtype: 'f64' });
  const dict = exportStateDict(f64);
  dict.bias_hh_l0 = { shape: [3], data: Float64Array.of(0.1, 1e300, 0.2) };
  importStateDict(f64, dict);
  assert.is(exportStateDict(f64).bias_hh_l0.data[1], 1e300, 'finite in float64: loaded');
  const f32 = new RecurrentLayer({ cell: 'rnn', inputSize: 2, hiddenSize: 3, dtype: 'f32' });
  const before = [...f32.store.data];
  assert.throws(
    () => importStateDict(f32, dict),
    /importStateDict: bias_hh_l0\[1\] is Infinity; values must be finite in f32/,
  );
  assert.equal([...f32.store.data], before);
});

test("safetensors: the reference writer's byte layout (sorted, compact JSON, space padding to 8)", () => {
  // One F32 tensor attn0 [1,1,2,3] holding 0..5, no metadata: the header JSON is 65 bytes,
  // padded with 7 spaces to 72, then 24 bytes of little-endian floats.
  const bytes = encodeSafetensors({ attn0: { shape: [1, 1, 2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5) } });
  const json = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
  assert.is(json.length, 65);
  const expected = new Uint8Array(8 + 72 + 24);
  expected[0] = 72;
  expected.set(new TextEncoder().encode(json + ' '.repeat(7)), 8);
  expected.set(new Uint8Array(Float32Array.of(0, 1, 2, 3, 4, 5).buffer), 80);
  assert.equal([...bytes], [...expected]);
  // No tensors, metadata {framework: pt}: 34 bytes of JSON padded to 40.
  const meta = encodeSafetensors({}, { framework: 'pt' });
  assert.is(new TextDecoder().decode(meta.subarray(8)), '{"__metadata__":{"framework":"pt"}}     ');
  assert.is(meta[0], 40);
  // F64 tensors come before F32 ones, then names in order.
  const mixed = decodeSafetensors(
    encodeSafetensors({
      b: { shape: [1], data: Float32Array.of(1) },
      a: { shape: [1], data: Float32Array.of(2) },
      z: { shape: [1], data: Float64Array.of(3) },
    }),
  );
  assert.equal(Object.keys(mixed.tensors), ['z', 'a', 'b']);
});

test('a file written by the reference safetensors writer loads here, and the same tensors encode to the same bytes', () => {
  const bytes = readFileSync(join(repoRoot, 'spec/fixtures/safetensors/reference-writer.safetensors'));
  const file = decodeSafetensors(bytes);
  assert.equal(file.metadata, { format: 'pt' });
  assert.equal(Object.keys(file.tensors), ['weight_ih_l0', 'alpha', 'bias_ih_l0']);
  assert.equal([...file.tensors.weight_ih_l0.data], [0.5, -1.25, 3e-9, 7, 1e10, -0]);
  assert.is(Object.is(file.tensors.weight_ih_l0.data[5], -0), true);
  assert.equal(file.tensors.alpha.shape, [2, 1]);
  assert.equal([...file.tensors.bias_ih_l0.data], [...Float32Array.of(0.1, -2.5, 4)]);
  const again = encodeSafetensors(
    Object.fromEntries(Object.entries(file.tensors).map(([k, v]) => [k, { shape: v.shape, data: v.data }])),
    file.metadata,
  );
  assert.equal([...again], [...bytes]);
});

test('safetensors round-trips F32, F64 and metadata through a file; a PyTorch state dict round-trips', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-'));
  try {
    const layer = new RecurrentLayer({
      cell: 'lstm',
      inputSize: 3,
      hiddenSize: 4,
      numLayers: 2,
      dtype: 'f64',
      seed: 4,
    });
    const path = join(dir, 'lstm.safetensors');
    saveSafetensors(
      path,
      { ...exportStateDict(layer), extra32: { shape: [2, 2], data: Float32Array.of(0.1, -2, 3e-8, 4) } },
      { format: 'pt', note: 'ünïcode' },
    );
    const file = loadSafetensors(path);
    assert.equal(file.metadata, { format: 'pt', note: 'ünïcode' });
    assert.is(file.tensors.extra32.dtype, 'F32');
    assert.equal([...file.tensors.extra32.data], [...Float32Array.of(0.1, -2, 3e-8, 4)]);
    const { extra32: _, ...dict } = file.tensors;
    const copy = new RecurrentLayer({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, dtype: 'f64', seed: 9 });
    importStateDict(copy, dict as StateDict);
    assert.equal([...copy.store.data], [...layer.store.data]);
    assert.equal(readdirSync(dir), ['lstm.safetensors'], 'no temporary file left behind');
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('safetensors rejects truncated and corrupted files with a clear error', () => {
  const bytes = encodeSafetensors({ w: { shape: [3], data: Float64Array.of(1, 2, 3) } });
  assert.throws(
    () => decodeSafetensors(bytes.subarray(0, 5)),
    /is 5 bytes long; a file needs at least the 8-byte header length/,
  );
  assert.throws(
    () => decodeSafetensors(bytes.subarray(0, 30)),
    /is not a .safetensors file, or is cut short: its first 8 bytes give a 56-byte header, but only 22 bytes follow them/,
  );
  assert.throws(
    () => decodeSafetensors(bytes.subarray(0, bytes.length - 8)),
    /has 16 data bytes but its tensors cover 24 \(truncated\?\)/,
  );
  const corrupt = bytes.slice();
  corrupt[9] = 0x7b;
  assert.throws(() => decodeSafetensors(corrupt), /has a header that is not valid UTF-8 JSON/);
  const wrongSize = encodeHeader('{"w":{"dtype":"F64","shape":[4],"data_offsets":[0,24]}}', 24);
  assert.throws(
    () => decodeSafetensors(wrongSize),
    /tensor w whose data_offsets \[0, 24\) do not hold \[4\] F64 values/,
  );
  const gap = encodeHeader(
    '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}',
    12,
  );
  assert.throws(() => decodeSafetensors(gap), /tensor b at byte 8, expected 4: the tensors must be back to back/);
  const bf16 = encodeHeader('{"a":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}', 2);
  assert.throws(
    () => decodeSafetensors(bf16),
    /tensor a of dtype BF16, not one of the dtypes rnnlab reads \(F64, F32, F16, I64, I32, U8, BOOL\)/,
  );
  const notBool = encodeHeader('{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', 2);
  notBool[notBool.length - 1] = 7;
  assert.throws(() => decodeSafetensors(notBool), /BOOL tensor m holding 7 at 1; a BOOL is 0 or 1/);
});

test('an interrupted write leaves the previous file intact', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-'));
  try {
    const path = join(dir, 'model.safetensors');
    saveSafetensors(path, { w: { shape: [2], data: Float64Array.of(1, 2) } });
    const before = readFileSync(path);
    // A write that fails part-way: the data cannot be encoded (shape and data disagree).
    assert.throws(
      () => saveSafetensors(path, { w: { shape: [3], data: Float64Array.of(1, 2) } }),
      /safetensors: tensor w must be 3 values for shape \[3\], got 2/,
    );
    // A write that fails at the file system: the folder holding the temporary file is gone.
    assert.throws(
      () => saveSafetensors(join(dir, 'missing', 'model.safetensors'), { w: { shape: [1], data: Float64Array.of(1) } }),
      /ENOENT/,
    );
    assert.equal([...readFileSync(path)], [...before]);
    assert.equal(readdirSync(dir), ['model.safetensors']);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

function encodeHeader(json: string, dataBytes: number): Uint8Array {
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  return out;
}

test.run();
