// The Brown corpus tasks: the loader's split, the baselines it gives, the tagger's output
// format through `rnnlab tag`, and the character model through `rnnlab sample` and `cells`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brownSplit, loadBrown, loadBrownText, parseBrownFile, universalTag } from '../data/brown.js';
import { CharsRun, GenreRun, PosRun, runKinds, type RunSettings } from '../experiments/index.js';
import { majorityCategory, mostFrequentTagAccuracy, quotesText, rawText } from '../data/index.js';
import { Rng } from '../core/index.js';

const settings = (task: string, over: Partial<RunSettings>): RunSettings => ({ ...runKinds[task].defaults, ...over });
import { textFeatures, correlation } from '../experiments/index.js';
import { charsSections } from '../cli/runSections.js';
import { repoRoot } from './helpers.js';

const universal = loadBrown('universal');
const count = (split: keyof typeof universal) => ({
  sentences: universal[split].length,
  tokens: universal[split].reduce((n, s) => n + s.words.length, 0),
});

test('the split is the documented one: 45,127 / 6,003 / 6,210 sentences, 909,742 / 125,588 / 125,862 tokens', () => {
  assert.equal(count('train'), { sentences: 45127, tokens: 909742 });
  assert.equal(count('dev'), { sentences: 6003, tokens: 125588 });
  assert.equal(count('test'), { sentences: 6210, tokens: 125862 });
  const split = brownSplit([
    'ca01',
    'ca02',
    'ca03',
    'ca04',
    'ca05',
    'ca06',
    'ca07',
    'ca08',
    'ca09',
    'ca10',
    'ca11',
    'cr01',
    'cr02',
    'cr03',
  ]);
  assert.equal(
    ['ca09', 'ca10', 'ca11'].map((f) => split.get(f)),
    ['dev', 'test', 'test'],
    '11 files: the last 2 test, the 2 before dev',
  );
  assert.equal(
    ['cr01', 'cr02', 'cr03'].map((f) => split.get(f)),
    ['train', 'dev', 'test'],
  );
});

test('tags: 12 universal, 447 Brown tags in train; lines parse into words and tags', () => {
  assert.equal(new Set(universal.train.flatMap((s) => s.tags)).size, 12);
  const brown = loadBrown('brown');
  assert.is(new Set(brown.train.flatMap((s) => s.tags)).size, 447);
  const [s] = parseBrownFile('\n\tThe/at jury/nn said/vbd a/b/x ./.\n\n', 'ca01', 'brown');
  assert.equal(s.words, ['The', 'jury', 'said', 'a/b', '.']);
  assert.equal(s.tags, ['at', 'nn', 'vbd', 'x', '.']);
  assert.is(universalTag('np-tl'), 'NOUN');
  assert.throws(() => universalTag('zzz'), /tag zzz has no universal tag in en-brown.map/);
  assert.throws(() => parseBrownFile('word\n', 'cb01', 'brown'), /cb01: token "word" is not word\/tag/);
});

test('the most-frequent-tag baseline on test: 0.941 universal, 0.883 Brown (the documented figures)', () => {
  assert.is(Number(mostFrequentTagAccuracy(universal).toFixed(3)), 0.941);
  assert.is(Number(mostFrequentTagAccuracy(loadBrown('brown')).toFixed(3)), 0.883);
});

test('loadBrownText reads the same running text that rawText makes of the sentences, split by split', () => {
  const splits = loadBrown('brown'),
    text = loadBrownText();
  for (const split of ['train', 'dev', 'test'] as const)
    assert.ok(text[split] === rawText(splits[split]), `${split} differs`);
});

function rnnlab(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), ...args], {
    encoding: 'utf8',
    input,
    cwd: repoRoot,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("rnnlab tag writes word/TAG for every token of every line, with tags of the model's tagset", () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-pos-'));
  try {
    const run = new PosRun(settings('pos', { hiddenSize: 8 }));
    for (let k = 0; k < 10; k++) run.trainStep();
    const path = join(dir, 'pos.safetensors');
    run.save(path);
    const r = rnnlab(
      ['tag', '--model', path],
      'The jury said it did not .\n\n  Colorless green ideas   sleep furiously\n',
    );
    assert.is(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.is(lines.length, 2);
    assert.equal(
      lines.map((l) => l.split(' ').map((t) => t.slice(0, t.lastIndexOf('/')))),
      [
        ['The', 'jury', 'said', 'it', 'did', 'not', '.'],
        ['Colorless', 'green', 'ideas', 'sleep', 'furiously'],
      ],
    );
    const tagset = new Set(run.tagger.vocabulary.tags);
    for (const token of lines.join(' ').split(' '))
      assert.ok(tagset.has(token.slice(token.lastIndexOf('/') + 1)), token);
    assert.is(tagset.size, 12);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('genre: 15 classes; the majority-class baseline is the share of the commonest training category in test', () => {
  const run = new GenreRun(settings('genre', { hiddenSize: 4 }));
  assert.is(majorityCategory(universal).category, 'cj');
  const test = universal.test;
  assert.ok(Math.abs(run.metric.baseline - test.filter((s) => s.category === 'cj').length / test.length) < 1e-15);
});

test('chars: sample is reproducible for a seed; cells finds and colours units', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-chars-'));
  try {
    const run = new CharsRun(settings('chars', { hiddenSize: 8, batch: 4 }));
    assert.ok(
      run.metric.baseline > 4 && run.metric.baseline < 5,
      `unigram baseline ${run.metric.baseline} bits per character`,
    );
    for (let k = 0; k < 3; k++) run.trainStep();
    const path = join(dir, 'chars.safetensors');
    run.save(path);
    const a = rnnlab(['sample', '--model', path, '--length', '40', '--seed', '3', '--prime', 'He ']);
    const b = rnnlab(['sample', '--model', path, '--length', '40', '--seed', '3', '--prime', 'He ']);
    assert.is(a.code, 0, a.err);
    assert.is(a.out, b.out);
    assert.ok(a.out.startsWith('He ') && a.out.trimEnd().length >= 3);
    const [samples, gates] = charsSections(run);
    assert.match(samples.text ?? '', /^sample at temperature 0\.5:\nThe /);
    assert.is(gates.heading, 'Gate saturation over 1,000 characters of dev text');
    const histograms = gates.html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(
      histograms.map((svg) => /<title>([^<]*)<\/title>/.exec(svg)?.[1]),
      ['forget gate', 'input gate', 'output gate'],
    );
    for (const svg of histograms) {
      const counts = [...svg.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]));
      assert.is(counts.length, 20);
      assert.is(
        counts.reduce((a, b) => a + b, 0),
        1000 * 8,
        'every value of 8 units over 1,000 characters in a bin',
      );
    }
    const greedy = rnnlab([
      'sample',
      '--model',
      path,
      '--length',
      '40',
      '--seed',
      '3',
      '--prime',
      'He ',
      '--temperature',
      '0',
    ]);
    const top1 = rnnlab(['sample', '--model', path, '--length', '40', '--seed', '9', '--prime', 'He ', '--top-k', '1']);
    assert.is(greedy.code, 0, greedy.err);
    assert.is(greedy.out, top1.out, '--temperature 0 is greedy decoding, whatever the seed');
    const textPath = join(dir, 'text.txt'),
      out = join(dir, 'cells.html');
    writeFileSync(textPath, "(a) the `` quoted words '' and more (b)\nsecond line ☃☃\n");
    const c = rnnlab(['cells', '--model', path, '--text', textPath, '--out', out, '--json']);
    assert.is(c.code, 0, c.err);
    const report = JSON.parse(c.out.trim().split('\n').at(-1)!);
    assert.equal(
      report.features.map((f: { feature: string }) => f.feature),
      ['quotes', 'bracket depth', 'line position'],
    );
    assert.is(report.state, 'tanh(c)');
    assert.match(c.out, /2 characters of the file are not in the model's alphabet and were left out \("☃"\)/);
    assert.match(
      c.out,
      /quotes: the characters from `` to '' \(how the Brown corpus writes quotation marks\)/,
      'what counts as quoted is said',
    );
    const quotes = report.features.find((f: { feature: string }) => f.feature === 'quotes');
    assert.ok(quotes.top.length > 0, "a text quoted Brown's way varies in the quotes feature");
    const html = readFileSync(out, 'utf8');
    assert.is((html.match(/<span title=/g) ?? []).length, report.characters);
    assert.match(html, /−1 <span style="[^"]*linear-gradient[^"]*"><\/span> \+1/, 'a colour legend');
    const values = [...html.matchAll(/<span title="(-?[\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(
      values.every((v) => Math.abs(v) <= 1),
      'tanh(c) is bounded',
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('the quotes-and-brackets text: the same for a seed, quotes paired, brackets closed in order, short lines', () => {
  const text = quotesText(new Rng(4), 20_000);
  assert.is(text, quotesText(new Rng(4), 20_000));
  assert.is(text.length, 20_000);
  const whole = text.slice(0, text.lastIndexOf('\n'));
  assert.ok(
    whole.split('\n').every((line) => line.length <= 48 + 8),
    'lines break near 48 characters',
  );
  const stack: string[] = [];
  for (const ch of whole) {
    if (ch === '(' || ch === '[') stack.push(ch);
    if (ch === ')') assert.is(stack.pop(), '(');
    if (ch === ']') assert.is(stack.pop(), '[');
  }
  const depth = Math.max(...textFeatures(whole)['bracket depth']);
  assert.ok(depth >= 2 && depth <= 3, `nesting reaches ${depth}`);
  assert.ok(whole.split('"').length > 100, 'many quoted spans');
});

test('text features mark quotes, bracket depth and position in line', () => {
  const f = textFeatures("a ``b'' (c)\nxy");
  assert.equal(f.quotes, [0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(f['bracket depth'], [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
  assert.equal(textFeatures('([a])b')['bracket depth'], [1, 2, 2, 2, 1, 0]);
  assert.is(f['line position'][12], 0);
  assert.is(correlation([1, 2, 3], [2, 4, 6]), 1);
  assert.is(correlation([1, 1, 1], [2, 4, 6]), 0);
});

test.run();
