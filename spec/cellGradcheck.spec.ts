import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCases } from '../checks/opCases.js';
import { cellCases } from '../checks/cellCases.js';
import { lstmVariants } from '../cells/lstm.js';
import { mergeModes } from '../cells/layer.js';

test('there is a case for every cell, LSTM variant and merge mode, in both builds where fused exists', () => {
  const names = cellCases.map((c) => c.name);
  for (const cell of [
    'rnn tanh',
    'rnn relu',
    'rnn sigmoid',
    'rnn delay 2',
    'lstm',
    'gru reset after',
    'gru reset before',
    'gru z writes',
    'gru reset before z writes',
  ]) {
    assert.ok(names.includes(`${cell} (fused)`) && names.includes(`${cell} (unfused)`), cell);
  }
  for (const mut of ['mut1', 'mut2', 'mut3']) assert.ok(names.includes(`${mut} (unfused)`), mut);
  for (const v of lstmVariants) assert.ok(names.includes(`lstm ${v} (fused)`), v);
  for (const m of mergeModes.filter((m) => m !== 'concat'))
    assert.ok(
      names.some((n) => n.includes(`merge ${m}`)),
      m,
    );
});

for (const c of cellCases) {
  test(`${c.name}: float64 gradient check`, () => {
    const [r] = runCases([c], ['f64']);
    for (const input of r.report.inputs)
      assert.ok(input.ok, `${input.name}: worst abs error ${input.maxAbsErr} at ${input.worstIndex}`);
  });
}

for (const c of cellCases) {
  test(`${c.name}: float32 gradient check`, () => {
    const [r] = runCases([c], ['f32']);
    assert.ok(r.report.ok, JSON.stringify(r.report.inputs.filter((i) => !i.ok).map((i) => [i.name, i.maxAbsErr])));
  });
}

test.run();
