// The PyTorch reference cases, through the same checker the CLI uses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildsOf, checkGoldenCase, readGoldenCase } from '../checks/golden.js';
import { repoRoot } from './helpers.js';

const folders = ['spec/fixtures/golden', 'spec/fixtures/golden-packed', 'spec/fixtures/golden-optim'];

for (const folder of folders) {
  for (const file of readdirSync(join(repoRoot, folder)).filter((f) => f.endsWith('.json'))) {
    const c = readGoldenCase(join(repoRoot, folder, file));
    for (const dtype of ['f64', 'f32'] as const) {
      for (const build of buildsOf(c)) {
        test(`${c.name} ${dtype}${build === null ? '' : ` ${build}`}`, () => {
          const r = checkGoldenCase(c, dtype, build);
          assert.is(r.status, 'checked');
          assert.ok(r.ok, `${r.detail}: ${r.maxRelErr}`);
        });
      }
    }
  }
}

test('every cell module in the shared cases is checked in both builds where a fused build exists', () => {
  const modules = new Map(
    readdirSync(join(repoRoot, folders[0]))
      .filter((f) => f.endsWith('.json'))
      .map((f) => readGoldenCase(join(repoRoot, folders[0], f)))
      .map((c) => [c.module, buildsOf(c)]),
  );
  for (const m of ['lstm', 'gru', 'rnn_tanh', 'rnn_relu', 'lstm_peephole', 'lstm_cifg', 'gru_reset_before'])
    assert.equal(modules.get(m), ['fused', 'unfused'], m);
  for (const m of ['mut1', 'mut2', 'mut3']) assert.equal(modules.get(m), ['unfused'], m);
});

test('a module the checker does not know is reported unsupported, never passed', () => {
  const c = readGoldenCase(join(repoRoot, folders[0], 'xent_n6_c5.json'));
  c.module = 'transformer';
  const r = checkGoldenCase(c, 'f64');
  assert.is(r.status, 'unsupported');
  assert.is(r.ok, false);
});

test('the checker fails a case whose reference is off by one part in 1e6, and one it cannot fully compare', () => {
  const c = readGoldenCase(join(repoRoot, folders[0], 'lstm_b3_t5_i4_h6.json'));
  c.grads.weight_hh_l0.data[7] *= 1 + 1e-6;
  const r = checkGoldenCase(c, 'f64', 'fused');
  assert.is(r.ok, false);
  assert.is(r.detail, 'grad weight_hh_l0');
  const d = readGoldenCase(join(repoRoot, folders[0], 'gru_b3_t5_i4_h6.json'));
  d.grads.mystery = { shape: [1], data: [0] };
  const s = checkGoldenCase(d, 'f64', 'fused');
  assert.is(s.ok, false);
  assert.is(s.detail, 'grad mystery (not compared)');
});

test.run();
