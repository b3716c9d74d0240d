// `rnnlab bench`: the benchmark suite of `npm run bench` (tinybench, loaded only when this
// command runs).
import { UsageError } from './args.js';
import { commonOptions, type Command } from './command.js';
import { Progress } from './progress.js';

export const benchCommand: Command = {
  name: 'bench',
  summary: 'time GEMM (naive, unpacked, blocked) and recurrent layers (fused vs unfused) in ms and GFLOP/s',
  usage: '[--quick] [--only TEXT] [--json]',
  options: {
    quick: {
      type: 'flag',
      help: 'tiny sizes, a few seconds in all (checks that the suite runs; the figures mean little)',
    },
    only: { type: 'string', help: 'only the cases whose name contains this text' },
    ...commonOptions,
  },
  async run(options) {
    const { benchCases, formatResults, jsonResults, runBench } = await import('../bench/suite.js');
    const only = options.only as string | undefined;
    if (only !== undefined && benchCases({ quick: Boolean(options.quick), filter: only }).length === 0) {
      const names = benchCases({ quick: Boolean(options.quick) }).map((c) => c.name);
      throw new UsageError(
        `bench: --only '${only}' matches no case; the cases are named like ${names.slice(0, 3).join(', ')}, …, ${names.at(-1)}`,
        '--only',
      );
    }
    let progress: Progress | null = null;
    const results = await runBench(
      { quick: Boolean(options.quick), filter: options.only as string | undefined },
      (done, total, name) => {
        progress ??= new Progress('bench', total, 0);
        progress.update(done, name);
      },
    );
    (progress as Progress | null)?.done();
    console.log(formatResults(results));
    if (options.json) console.log(jsonResults(results));
    return 0;
  },
};
