// Timing with tinybench, reported as the median ms per call and GFLOP/s.
import { Bench } from 'tinybench';

export interface BenchResult {
  name: string;
  cell: string;
  config: string;
  variant: string;
  pass: 'forward' | 'train';
  ms: number;
  gflops: number;
}

export interface BenchCase extends Omit<BenchResult, 'ms' | 'gflops'> {
  /** Floating-point operations in one call. */
  flops: number;
  fn: () => void;
}

export interface BenchBudget {
  /** Time per task in ms. */
  time: number;
  /** Minimum calls per task. */
  iterations: number;
}

/** Run every case in one Bench (so that all figures come from the same run); onCase hears of each one done. */
export async function measure(cases: readonly BenchCase[], budget: BenchBudget, onCase?: (done: number, name: string) => void): Promise<BenchResult[]> {
  const bench = new Bench({ time: budget.time, iterations: budget.iterations, warmupTime: budget.time / 4, warmupIterations: 2 });
  for (const c of cases) bench.add(c.name, c.fn);
  let done = 0;
  bench.addEventListener('cycle', (e) => onCase?.(++done, (e as unknown as { task?: { name: string } }).task?.name ?? ''));
  await bench.run();
  return cases.map((c, q) => {
    const result = bench.tasks[q].result;
    if (result.state !== 'completed') throw new Error(`bench: task ${c.name} did not complete (${result.state})`);
    // The median: on a shared 2-core machine a few slow samples would drag the mean.
    const ms = result.latency.p50;
    return { name: c.name, cell: c.cell, config: c.config, variant: c.variant, pass: c.pass, ms, gflops: c.flops / (ms * 1e6) };
  });
}
