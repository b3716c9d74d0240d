// The task generators make what their papers describe, seeded.
import { test } from 'uvu';
import { SPELL_INPUT, spellBatch, spellMajority, spellNumber, spellSplit, spellWords } from '../tasks/index.js';
import * as assert from 'uvu/assert';
import { Rng } from '../index.js';
import { addingTask, arithTask, copyTask, makeTask, orderTask, taskNames, xmlTask } from '../tasks/index.js';
import { digitPairs } from '../models/seq2seq.js';

test('adding: values in [0, 1), one marker in each half, the target their sum; baseline 1/6', () => {
  const T = 10,
    B = 50;
  const b = addingTask(T).batch(new Rng(1), B);
  for (let s = 0; s < B; s++) {
    const marked = [];
    let sum = 0;
    for (let t = 0; t < T; t++) {
      const v = b.values![(t * B + s) * 2],
        m = b.values![(t * B + s) * 2 + 1];
      assert.ok(v >= 0 && v < 1);
      if (m === 1) {
        marked.push(t);
        sum += v;
      } else assert.is(m, 0);
    }
    assert.is(marked.length, 2);
    assert.ok(marked[0] < 5 && marked[1] >= 5, `markers at ${marked}`);
    assert.ok(Math.abs(b.targets[s] - sum) < 1e-15);
  }
  assert.ok(Math.abs(addingTask(T).metric.baseline - 0.1667) < 1e-3);
});

test('copy: ten symbols, T − 1 blanks, a delimiter, ten blanks; the symbols are the targets of the ten scored steps at the end', () => {
  const task = copyTask(5);
  const b = task.batch(new Rng(2), 3);
  assert.is(b.T, 25);
  const row = (s: number) => Array.from({ length: b.T }, (_, t) => b.tokens![t * 3 + s]);
  const target = (s: number) => Array.from({ length: b.T }, (_, t) => b.targets[t * 3 + s]);
  for (let s = 0; s < 3; s++) {
    const x = row(s),
      y = target(s);
    assert.ok(x.slice(0, 10).every((v) => v >= 1 && v <= 8));
    assert.equal(x.slice(10, 14), [0, 0, 0, 0]);
    assert.is(x[14], 9);
    assert.equal(x.slice(15), new Array(10).fill(0));
    assert.equal(y.slice(0, 15), new Array(15).fill(0));
    assert.equal(y.slice(15), x.slice(0, 10));
    assert.equal(
      Array.from({ length: b.T }, (_, t) => b.mask![t * 3 + s]),
      [...new Array(15).fill(0), ...new Array(10).fill(1)],
    );
  }
  assert.is(task.metric.name, 'accuracy');
  assert.is(task.metric.baseline, 1 / 8);
});

test('order: E … B, distractors, X/Y at the two windows, the class their order', () => {
  const task = orderTask(40);
  const b = task.batch(new Rng(3), 20);
  for (let s = 0; s < 20; s++) {
    const text = task.decode!(Array.from({ length: 40 }, (_, t) => b.tokens![t * 20 + s]));
    assert.match(text, /^E[abcd]+[XY][abcd]+[XY][abcd]+B$/);
    const first = text.search(/[XY]/),
      second = text.slice(first + 1).search(/[XY]/) + first + 1;
    assert.ok(first >= 4 && first <= 8 && second >= 20 && second <= 24, `${first} ${second}`);
    assert.is(b.targets[s], (text[first] === 'Y' ? 2 : 0) + (text[second] === 'Y' ? 1 : 0));
  }
});

test('arith: the scored characters are exactly the true answer and its end mark', () => {
  const task = arithTask(3);
  const b = task.batch(new Rng(4), 30);
  for (let s = 0; s < 30; s++) {
    const n = b.lengths![s];
    const text = task.decode!([
      ...Array.from({ length: n }, (_, t) => b.tokens![t * 30 + s]),
      b.targets[(n - 1) * 30 + s],
    ]);
    const question = text.slice(0, text.indexOf('=')).replace(/[a-z]/g, '');
    const [, a, op, c] = /^(\d+)([+-])(\d+)$/.exec(question)!;
    const answer = op === '+' ? Number(a) + Number(c) : Number(a) - Number(c);
    assert.is(text.slice(text.indexOf('=') + 1), `${answer}.`);
    const scored = Array.from({ length: n }, (_, t) =>
      b.mask![t * 30 + s] ? task.decode!([b.targets[t * 30 + s]]) : '',
    ).join('');
    assert.is(scored, `${answer}.`);
  }
});

test('xml: tags of 2–10 letters, well nested; targets are the next character; exactly the closing tags after "</" are scored', () => {
  const T = 200,
    B = 4;
  const task = xmlTask(T);
  const b = task.batch(new Rng(5), B);
  for (let s = 0; s < B; s++) {
    const text = task.decode!(Array.from({ length: T }, (_, t) => b.tokens![t * B + s]));
    const open: string[] = [];
    for (const tag of text.match(/<\/?[a-z]+>/g)!) {
      const name = tag.replace(/[<\/>]/g, '');
      assert.ok(name.length >= 2 && name.length <= 10, tag);
      if (tag[1] === '/') assert.is(name, open.pop(), `closing ${tag} in ${text}`);
      else open.push(name);
    }
    for (let t = 0; t + 1 < T; t++) assert.is(b.targets[t * B + s], b.tokens![(t + 1) * B + s]);
    // The scored targets, read back, are the names and '>' of the closing tags, and nothing else.
    const full = text + task.decode!([b.targets[(T - 1) * B + s]]);
    let expected = '';
    for (const m of full.matchAll(/<\/([a-z]*>?)/g)) expected += m[1];
    const scored = Array.from({ length: T }, (_, t) => (b.scored![t * B + s] ? full[t + 1] : '')).join('');
    assert.is(scored, expected);
    assert.ok(scored.length > 10);
  }
  assert.is(task.metric.name, 'accuracy');
  assert.ok(task.metric.baseline > 0.1 && task.metric.baseline < 0.3, String(task.metric.baseline));
});

test('the same seed gives the same batches; names and sizes are checked', () => {
  for (const name of taskNames) {
    const a = makeTask(name).batch(new Rng(6), 3),
      b = makeTask(name).batch(new Rng(6), 3);
    assert.equal([...(a.tokens ?? a.values!)], [...(b.tokens ?? b.values!)], name);
  }
  assert.throws(
    () => makeTask('parity'),
    /makeTask: name must be one of adding, copy, order, arith, xml, got 'parity'/,
  );
  assert.throws(() => addingTask(1), /adding: the sequence length must be an integer ≥ 2, got 1/);
  assert.throws(() => copyTask(5, 0), /copy: symbols must be a positive integer, got 0/);
  assert.throws(() => arithTask(0), /arith: digits must be an integer in \[1, 15\], got 0/);
});

test('digit pairs for the encoder-decoder: reversed or sorted, with EOS', () => {
  const b = digitPairs(new Rng(8), 5, 'sort');
  for (let s = 0; s < 5; s++) {
    const n = b.sourceLengths[s];
    assert.ok(n >= 5 && n <= 10);
    const src = Array.from({ length: n }, (_, t) => b.source[t * 5 + s]);
    const tgt = Array.from({ length: n + 1 }, (_, t) => b.target[t * 5 + s]);
    assert.equal(tgt, [...[...src].sort((x, y) => x - y), 10]);
  }
  const r = digitPairs(new Rng(8), 5, 'reverse');
  const src = Array.from({ length: r.sourceLengths[0] }, (_, t) => r.source[t * 5]);
  assert.equal(
    Array.from({ length: src.length }, (_, t) => r.target[t * 5]),
    src.reverse(),
  );
});

test('spell: English words without "and", the split 800/200 and disjoint, batches of one-hot digits and padded words', () => {
  const spelled = (n: number) => spellNumber(n).join(' ');
  assert.equal([0, 7, 13, 20, 40, 45, 100, 101, 110, 119, 347, 990, 999].map(spelled), [
    'zero',
    'seven',
    'thirteen',
    'twenty',
    'forty',
    'forty five',
    'one hundred',
    'one hundred one',
    'one hundred ten',
    'one hundred nineteen',
    'three hundred forty seven',
    'nine hundred ninety',
    'nine hundred ninety nine',
  ]);
  assert.throws(() => spellNumber(1000), /n must be an integer in \[0, 999\], got 1000/);
  const { train, test: held } = spellSplit(1);
  assert.is(train.length, 800);
  assert.is(held.length, 200);
  assert.is(new Set([...train, ...held]).size, 1000);
  assert.equal(spellSplit(1).test, held, 'the same split for the same seed');
  const b = spellBatch([347, 5]);
  assert.is(b.inputs.length, 2 * SPELL_INPUT);
  assert.equal(
    [0, 1].map((row) => b.inputs.slice(row * 30, row * 30 + 30).flatMap((v, q) => (v === 1 ? [q] : []))),
    [
      [3, 14, 27],
      [0, 10, 25],
    ],
  );
  assert.equal(b.targetLengths, [5, 2]);
  const EOS = spellWords.length;
  assert.equal(
    Array.from({ length: 5 }, (_, t) => b.target[t * 2]),
    [...spellNumber(347).map((w) => spellWords.indexOf(w)), EOS],
  );
  assert.equal(
    spellMajority(train).map((t) => spellWords[t]),
    ['four', 'hundred', 'seventy'],
    'the commonest word at each position',
  );
});

test.run();
