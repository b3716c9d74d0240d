import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../core/rng.js';

test('the same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42),
    b = new Rng(42),
    c = new Rng(43);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.equal(
    xs,
    Array.from({ length: 5 }, () => b.nextUint32()),
  );
  assert.not.equal(
    xs,
    Array.from({ length: 5 }, () => c.nextUint32()),
  );
});

test("the generator is xoshiro128**: from state [1,2,3,4] it gives the C reference's words", () => {
  // Printed by the authors' C algorithm (xoshiro128starstar.c), compiled with gcc.
  const r = new Rng(0);
  r.setState([1, 2, 3, 4]);
  const words = Array.from({ length: 8 }, () => r.nextUint32());
  assert.equal(words, [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
});

test('seeding is pinned: a seed must mean the same numbers in every version', () => {
  // Recorded when seeding was written; changing it would silently change every seeded run.
  const r = new Rng(2026);
  assert.equal(
    Array.from({ length: 4 }, () => r.nextUint32()),
    [1488141057, 2736994499, 1930590800, 4121196190],
  );
});

test('uniform, normal and int have the right first two moments', () => {
  const r = new Rng(1);
  const n = 100_000;
  let su = 0,
    sn = 0,
    sn2 = 0;
  const counts = [0, 0, 0, 0, 0];
  for (let q = 0; q < n; q++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
    counts[r.int(5)]++;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.005, `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 0.01, `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 0.02, `normal variance ${sn2 / n}`);
  for (const c of counts) assert.ok(Math.abs(c / n - 0.2) < 0.01, `int(5) frequencies ${counts}`);
});

test('shuffle is a seeded permutation', () => {
  const items = Array.from({ length: 20 }, (_, q) => q);
  const once = new Rng(3).shuffle([...items]);
  assert.equal(new Rng(3).shuffle([...items]), once);
  assert.equal(
    [...once].sort((p, q) => p - q),
    items,
  );
  assert.not.equal(once, items);
});

test('getState/setState resume the stream exactly', () => {
  const r = new Rng(9);
  r.uniform();
  const state = r.getState();
  const next = [r.uniform(), r.normal()];
  const s = new Rng(1);
  s.setState(state);
  assert.equal([s.uniform(), s.normal()], next);
  assert.throws(() => s.setState([1, 2, 3]), /four unsigned 32-bit integers/);
  assert.throws(() => new Rng(-1), /seed must be a non-negative safe integer, got -1/);
});

test.run();
