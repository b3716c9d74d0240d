// `rnnlab gradcheck`: every op, and every cell with each of its options, checked against
// finite differences, in float64 with PyTorch's tolerances and in float32 with looser ones.
import { GRADCHECK_DEFAULTS, type DType, type GradcheckOptions } from '../index.js';
import { cellCases } from '../checks/cellCases.js';
import { opCases, runCases } from '../checks/opCases.js';
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';
import { formatTable } from './table.js';

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary: 'check the gradient of every op and cell against central finite differences',
  usage: '[--dtype f64|f32|both] [--op TEXT] [--eps E] [--atol A] [--rtol R] [--json]',
  options: {
    dtype: { type: 'string', help: 'which precisions to check', choices: ['f64', 'f32', 'both'], default: 'both' },
    op: { type: 'string', help: 'only the cases whose name contains this text' },
    eps: {
      type: 'real',
      min: 0,
      exclusiveMin: true,
      help: `finite-difference step (default ${GRADCHECK_DEFAULTS.f64.eps} in f64, ${GRADCHECK_DEFAULTS.f32.eps} in f32)`,
    },
    atol: {
      type: 'real',
      min: 0,
      help: `absolute tolerance (default ${GRADCHECK_DEFAULTS.f64.atol} in f64, ${GRADCHECK_DEFAULTS.f32.atol} in f32)`,
    },
    rtol: {
      type: 'real',
      min: 0,
      help: `relative tolerance (default ${GRADCHECK_DEFAULTS.f64.rtol} in f64, ${GRADCHECK_DEFAULTS.f32.rtol} in f32)`,
    },
    ...commonOptions,
  },
  run(options) {
    const dtypes: DType[] = options.dtype === 'both' ? ['f64', 'f32'] : [options.dtype as DType];
    const filter = options.op as string | undefined;
    const cases = [...opCases, ...cellCases].filter((c) => filter === undefined || c.name.includes(filter));
    if (cases.length === 0)
      throw new UsageError(`gradcheck: --op '${filter}': no case name contains '${filter}'`, '--op');
    const overrides: GradcheckOptions = {};
    for (const key of ['eps', 'atol', 'rtol'] as const)
      if (options[key] !== undefined) overrides[key] = options[key] as number;
    const results = runCases(cases, dtypes, overrides);
    const failed = results.filter((r) => !r.report.ok).length;
    // The column that decides: an element passes when |a − n| ≤ atol + rtol·|n|, so a case passes when the worst ratio is at most 1.
    const rows = results.map((r) => [
      r.name,
      r.dtype,
      r.report.errorToBound.toFixed(3),
      `eps ${r.report.eps} atol ${r.report.atol} rtol ${r.report.rtol}`,
      r.report.ok
        ? 'pass'
        : `FAIL (${r.report.inputs
            .filter((i) => !i.ok)
            .map((i) => i.name)
            .join(', ')})`,
    ]);
    console.log(
      formatTable(['case', 'dtype', 'worst |a−n| / (atol + rtol·|n|)', 'bounds', 'result (pass: ≤ 1)'], rows),
    );
    console.log(`${results.length - failed} of ${results.length} passed`);
    if (options.json) {
      const ops = results.map((r) => ({
        name: r.name,
        dtype: r.dtype,
        errorToBound: r.report.errorToBound,
        maxRelErr: r.report.maxRelErr,
        ok: r.report.ok,
      }));
      console.log(JSON.stringify({ ops, failed }));
    }
    return failed === 0 ? 0 : 1;
  },
};
