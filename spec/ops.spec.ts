import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { opCases, runCases } from '../checks/opCases.js';
import { GRADCHECK_DEFAULTS } from '../core/gradcheck.js';

const names = [
  'matmul',
  'add',
  'sub',
  'mul',
  'scale',
  'affine',
  'sigmoid',
  'tanh',
  'relu',
  'concat',
  'slice',
  'split',
  'selectStep',
  'stack',
  'reshape',
  'sum',
  'mean',
  'softmaxCrossEntropy',
  'mse',
  'embedding',
  'gather',
  'maximum',
  'dropout',
];

test('every op has a gradient-check case', () => {
  for (const name of names)
    assert.ok(
      opCases.some((c) => c.name.split(' ')[0] === name),
      `no case for ${name}`,
    );
});

for (const result of runCases(opCases, ['f64'])) {
  test(`${result.name}: float64 gradient within PyTorch's tolerances, relative error < 1e-6`, () => {
    const { report } = result;
    assert.is(report.eps, GRADCHECK_DEFAULTS.f64.eps);
    for (const input of report.inputs)
      assert.ok(input.ok, `${input.name}: worst abs error ${input.maxAbsErr} at ${input.worstIndex}`);
    assert.ok(report.maxRelErr < 1e-6, `max relative error ${report.maxRelErr}`);
  });
}

for (const result of runCases(opCases, ['f32'])) {
  test(`${result.name}: float32 gradient within the float32 bounds`, () => {
    assert.ok(result.report.ok, JSON.stringify(result.report.inputs.map((i) => [i.name, i.maxAbsErr])));
  });
}

test.run();
