// `rnnlab golden FILE...`: check reference cases computed by PyTorch (rnn-golden/1).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DType } from '../index.js';
import type { Build } from '../cells/cell.js';
import { commonOptions, type Command } from './command.js';
import { buildsOf, checkGoldenCase, GOLDEN_TOLERANCE, readGoldenCase, type GoldenResult } from '../checks/golden.js';
import { UsageError } from './args.js';
import { formatTable } from './table.js';

/** Files as given; a directory stands for the .json files in it. */
function expand(paths: string[]): string[] {
  return paths.flatMap((p) => {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`golden: no such file or directory: ${p}`, p);
    }
    if (!isDir) return [p];
    const cases = readdirSync(p)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(p, f));
    if (cases.length === 0)
      throw new UsageError(
        `golden: the folder ${p} holds no case files (*.json); give a folder of reference cases, e.g. spec/fixtures/golden`,
        p,
      );
    return cases;
  });
}

export const goldenCommand: Command = {
  name: 'golden',
  summary: 'compare forward values and gradients with reference cases computed by PyTorch',
  usage: 'FILE|DIR... [--dtype f64|f32|both] [--build fused|unfused|both] [--json]',
  positional: 'FILE|DIR...',
  options: {
    dtype: { type: 'string', help: 'precisions to run the cases in', choices: ['f64', 'f32', 'both'], default: 'both' },
    build: {
      type: 'string',
      help: 'recurrent builds to check (MUT cells have only unfused)',
      choices: ['fused', 'unfused', 'both'],
      default: 'both',
    },
    ...commonOptions,
  },
  run(options, positional) {
    if (positional.length === 0)
      throw new UsageError("golden: give one or more case files or folders, e.g. 'rnnlab golden spec/fixtures/golden'");
    const dtypes: DType[] = options.dtype === 'both' ? ['f64', 'f32'] : [options.dtype as DType];
    const results: GoldenResult[] = [];
    for (const path of expand(positional)) {
      const c = readGoldenCase(path);
      const builds = buildsOf(c).filter((b) => b === null || options.build === 'both' || b === options.build);
      for (const dtype of dtypes)
        for (const build of builds) results.push(checkGoldenCase(c, dtype, build as Build | null));
    }
    const rows = results.map((r) => [
      r.name,
      r.dtype,
      r.build ?? '-',
      r.maxRelErr === null ? '-' : r.maxRelErr.toExponential(2),
      r.status === 'unsupported' ? 'not yet supported' : r.ok ? 'pass' : `FAIL (${r.detail})`,
    ]);
    console.log(formatTable(['case', 'dtype', 'build', 'max rel err', 'result'], rows));
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `${results.length - failed} of ${results.length} passed (tolerance ${GOLDEN_TOLERANCE.f64} in f64, ${GOLDEN_TOLERANCE.f32} in f32)`,
    );
    if (options.json) {
      const cases = results.map((r) => ({ name: r.name, dtype: r.dtype, maxRelErr: r.maxRelErr, ok: r.ok }));
      console.log(JSON.stringify({ cases, failed }));
    }
    return failed === 0 ? 0 : 1;
  },
};
