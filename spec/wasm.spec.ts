// The WebAssembly backend: the module builder's encodings, the heap, and each wasm kernel
// against its TypeScript twin (the oracle) on odd sizes, every transpose and both betas,
// with buffers in the heap and outside it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ModuleBuilder, Type } from '../kernels/wasm/builder.js';
import { WasmGemm } from '../kernels/wasm/gemm.js';
import { Room, WasmHeap } from '../kernels/wasm/heap.js';
import { gemmNaive } from '../kernels/js/gemm.js';
import { gemm, view } from '../kernels/backend/matrix.js';
import { alloc, RecurrentLayer, Rng, Tape, Tensor, wasmAvailable, type CellKind } from '../index.js';
import { onBackend, relToMax, repoRoot } from './helpers.js';

test('the builder writes LEB128 as the core specification gives it', () => {
  // (func (result i32) i32.const N): the constant's signed LEB128 bytes sit at the end of the body.
  const constBytes = (v: number) => {
    const m = new ModuleBuilder({ initial: 1, maximum: 1, shared: true })
      .function('f', [], [Type.i32], (f) => f.i32Const(v))
      .build();
    const body = [...m];
    return body.slice(body.lastIndexOf(0x41) + 1, -1);
  };
  assert.equal(constBytes(0), [0x00]);
  assert.equal(constBytes(63), [0x3f]);
  assert.equal(constBytes(64), [0xc0, 0x00], '64 needs a second byte: bit 6 would read as the sign');
  assert.equal(constBytes(-1), [0x7f]);
  assert.equal(constBytes(-64), [0x40]);
  assert.equal(constBytes(-65), [0xbf, 0x7f]);
  assert.equal(constBytes(624485), [0xe5, 0x8e, 0x26]);
});

test('a module built here validates and computes with SIMD in a shared memory', () => {
  // y[q] += a·x[q] for q < n, four lanes a turn.
  const module = new ModuleBuilder({ initial: 1, maximum: 16, shared: true }).function(
    'axpy',
    [Type.i32, Type.f32, Type.i32, Type.i32],
    [],
    (f, n, a, x, y) => {
      const av = f.local(Type.v128),
        end = f.local(Type.i32);
      f.localGet(a).f32x4Splat().localSet(av);
      f.localGet(x).localGet(n).i32Const(4).i32Mul().i32Add().localSet(end);
      f.loop(() => {
        f.localGet(y).localGet(y).v128Load().localGet(av).localGet(x).v128Load().f32x4Mul().f32x4Add().v128Store();
        f.localGet(y).i32Const(16).i32Add().localSet(y);
        f.localGet(x).i32Const(16).i32Add().localTee(x).localGet(end).i32LtU().brIf(0);
      });
    },
  );
  const bytes = module.build();
  assert.ok(WebAssembly.validate(bytes));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
  const { axpy } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
    axpy: (...a: number[]) => void;
  };
  const f32 = new Float32Array(memory.buffer, 0, 16);
  f32.set([0, 1, 2, 3, 4, 5, 6, 7], 0);
  f32.fill(1, 8);
  axpy(8, 0.5, 0, 32);
  assert.equal([...f32.subarray(8)], [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
});

test('the heap hands out zeroed float32 views that survive its growth, and knows its own', () => {
  const heap = new WasmHeap(1);
  const first = heap.f32(10)!;
  first.fill(7);
  const big = heap.f32(200_000)!;
  assert.ok(heap.memory.buffer.byteLength > 65536, 'the memory grew');
  assert.equal([...first], new Array(10).fill(7), 'a view made before the growth still reads its values');
  assert.ok(big.every((v) => v === 0));
  assert.ok(heap.holds(first) && heap.holds(big) && heap.holds(big.subarray(5)));
  assert.not.ok(heap.holds(new Float32Array(4)));
  assert.is(first.byteOffset % 16, 0);
  assert.is(big.byteOffset % 16, 0);
});

test('garbage buffers go back to the heap when the event loop turns: 3 GB of them through the 512 MB transient buffers may hold', () => {
  // In a fresh process, as a training run has it: how soon the engine collects depends on
  // what else its heap holds, and this suite's process holds a lot.
  const script = `
    import { WasmHeap } from './dist/kernels/wasm/heap.js';
    const heap = new WasmHeap(1);
    let made = 0;
    for (let q = 0; q < 3000; q++) {
      if (heap.f32(2 ** 18) === null) break; // 1 MB, garbage at once
      made++;
      if (q % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    process.stdout.write(String(made));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), '3000', `the heap was full after ${r.stdout.trim()} MB`);
});

test('importing the library chooses no backend and reads no environment: the default comes at the first float32 buffer', () => {
  const script = `
    import { getBackend, wasmAvailable, Tensor } from './dist/index.js';
    import { wasmHeapIfMade } from './dist/kernels/backend/choice.js';
    const before = wasmHeapIfMade() === null;
    Tensor.zeros([2, 3]);
    process.stdout.write(JSON.stringify({ before, backend: getBackend(), heap: wasmHeapIfMade() !== null, wasm: wasmAvailable().ok }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, RNNLAB_BACKEND: 'bogus' },
  });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.before, 'no wasm heap was made by the import');
  assert.is(out.backend, out.wasm ? 'wasm' : 'js', 'the default, whatever the variable says');
  assert.is(out.heap, out.wasm, 'the heap is made when the first buffer needs it');
});

test("a full heap says so: transient buffers stop at their share, pinned ones short of its end (the rest is the kernels' scratch), then reserve fails, and the wasm GEMM declines", () => {
  const heap = new WasmHeap(1, 64); // 4 MiB, an eighth kept for scratch, transient buffers half the rest
  const kept: Float32Array[] = [];
  let buf: Float32Array | null;
  while ((buf = heap.f32(2 ** 16)) !== null) kept.push(buf);
  assert.is(kept.length, 7, '7 transient blocks of 256 KB fill the 1.75 MiB they may hold');
  while ((buf = heap.f32(2 ** 16, true)) !== null) kept.push(buf);
  assert.is(kept.length, 14, 'pinned blocks fill the 3.5 MiB buffers may use');
  assert.ok(heap.reserve(2 ** 18) !== null, 'the scratch room is still there');
  assert.is(heap.reserve(2 ** 20), null, 'and then it is not');
  const gemm = new WasmGemm(heap);
  const c = kept[0],
    a = kept[1],
    b = kept[2];
  c[0] = 42;
  assert.is(
    gemm.gemm(c, a, b, 256, 256, 256, false, false, 0, 0, 0, 0, 256, 256, 256),
    false,
    'no room for its panels: it does nothing and says so',
  );
  assert.is(c[0], 42);
});

const sizes = [1, 3, 7, 33, 65, 257];

test("a kernel's scratch room keeps one block: a larger call hands the old one back, and a buffer reuses it", () => {
  const heap = new WasmHeap(1);
  const room = new Room(heap);
  const small = room.fit(1000);
  assert.is(room.fit(600), small, 'a smaller call uses the room it has');
  const reserved = heap.inUse;
  const large = room.fit(5000);
  assert.is.not(large, small);
  assert.is(heap.inUse, reserved - 1024 + 8192, 'the 1 KiB block went back when the 8 KiB one came');
  assert.is(heap.f32(256)!.byteOffset, small, 'the next buffer of its size gets the old block');
  const full = new WasmHeap(1, 2);
  const none = new Room(full);
  assert.is(none.fit(3 * 65536), -1, 'more than the whole heap: −1');
  assert.is(none.fit(16) >= 0, true, 'then a call that fits gets room');
});

test('the wasm GEMM equals the naive one within a few float32 ulps scaled by k: odd sizes, every transpose, beta 0, 1 and 0.5, in and out of the heap', () => {
  const available = wasmAvailable();
  assert.ok(available.ok, available.why);
  onBackend('wasm', () => {
    const rng = new Rng(11);
    let cases = 0;
    for (const m of sizes)
      for (const n of [1, 7, 65])
        for (const k of [1, 33, 257]) {
          const transA = rng.int(2) === 1,
            transB = rng.int(2) === 1,
            beta = [0, 1, 0.5][rng.int(3)];
          const inHeap = rng.int(2) === 1;
          const make = (size: number) => {
            const b = inHeap ? alloc('f32', size + 5) : new Float32Array(size + 5);
            rng.fillUniform(b, -1, 1);
            return b;
          };
          // Each operand at offset 2 of a larger buffer, with a leading dimension one wider than needed.
          const [aRows, aCols] = transA ? [k, m] : [m, k];
          const [bRows, bCols] = transB ? [n, k] : [k, n];
          const A = make(aRows * (aCols + 1)),
            B = make(bRows * (bCols + 1)),
            C = make(m * (n + 1));
          const exact = Float64Array.from(C),
            absolute = new Float64Array(C.length);
          gemmNaive(
            exact,
            Float64Array.from(A),
            Float64Array.from(B),
            m,
            n,
            k,
            transA,
            transB,
            beta,
            2,
            2,
            2,
            n + 1,
            aCols + 1,
            bCols + 1,
          );
          // Σ|a||b| bounds the rounding error of each sum.
          gemmNaive(
            absolute,
            Float64Array.from(A, Math.abs),
            Float64Array.from(B, Math.abs),
            m,
            n,
            k,
            transA,
            transB,
            0,
            2,
            2,
            2,
            n + 1,
            aCols + 1,
            bCols + 1,
          );
          gemm(
            view(C, m, n, 2, n + 1),
            view(A, aRows, aCols, 2, aCols + 1),
            view(B, bRows, bCols, 2, bCols + 1),
            transA,
            transB,
            beta,
          );
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              const q = 2 + i * (n + 1) + j;
              const bound = 4 * 2 ** -24 * (k * absolute[q] + Math.abs(beta * exact[q]) + 1e-30);
              assert.ok(
                Math.abs(C[q] - exact[q]) <= bound,
                `m ${m} n ${n} k ${k} transA ${transA} transB ${transB} beta ${beta} heap ${inHeap} (${i}, ${j}): ${C[q]} vs ${exact[q]}`,
              );
            }
          assert.is(C[0], Math.fround(C[0]), 'untouched before the offset');
          cases++;
        }
    assert.is(cases, sizes.length * 9);
  });
});

test('on the wasm backend, fused equals unfused and both equal the js backend to float32 rounding: every cell, padded, stacked, both directions', () => {
  const variants: [CellKind, object][] = [
    ['lstm', {}],
    ['lstm', { variant: 'peephole' }],
    ['lstm', { variant: ['cifg', 'noaf'] }],
    ['gru', {}],
    ['gru', { resetAfter: false }],
    ['gru', { updateGate: 'writes' }],
    ['gru', { resetAfter: false, updateGate: 'writes' }],
    ['rnn', {}],
    ['rnn', { nonlinearity: 'relu', delay: 2 }],
    ['rnn', { nonlinearity: 'sigmoid' }],
  ];
  for (const [cell, options] of variants) {
    const results: Record<string, { y: number[]; g: number[]; dx: number[] }> = {};
    for (const backend of ['js', 'wasm'] as const)
      onBackend(backend, () => {
        for (const build of ['fused', 'unfused'] as const) {
          const layer = new RecurrentLayer({
            cell,
            inputSize: 5,
            hiddenSize: 9,
            numLayers: 2,
            bidirectional: true,
            build,
            seed: 3,
            ...options,
          });
          const x = Tensor.zeros([7, 3, 5], 'f32', { requiresGrad: true });
          new Rng(1).fillUniform(x.data, -1, 1);
          const tape = new Tape();
          const out = layer.forward(tape, x, { lengths: [7, 3, 5] });
          const seed = alloc('f32', out.y.size);
          new Rng(2).fillUniform(seed, -1, 1);
          tape.backward(out.y, seed);
          results[`${backend} ${build}`] = { y: [...out.y.data], g: [...layer.store.grad], dx: [...x.grad!] };
        }
      });
    const ref = results['js unfused'];
    for (const [name, r] of Object.entries(results)) {
      for (const part of ['y', 'g', 'dx'] as const) {
        // As the reference cases measure it: the largest difference relative to the largest magnitude.
        const worst = relToMax(r[part], ref[part]);
        assert.ok(worst < 1e-5, `${cell} ${JSON.stringify(options)} ${name} ${part}: relative difference ${worst}`);
      }
    }
  }
});

test('every float32 reference case passes on the wasm backend', () => {
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'dist/cli/main.js'),
      'golden',
      'spec/fixtures/golden',
      'spec/fixtures/golden-packed',
      'spec/fixtures/golden-optim',
      '--dtype',
      'f32',
      '--backend',
      'wasm',
      '--json',
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  assert.is(r.status, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { cases: unknown[]; failed: number };
  assert.is(report.failed, 0);
  assert.ok(report.cases.length >= 50, `${report.cases.length} cases`);
});

test.run();
