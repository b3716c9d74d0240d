// Timing with tinybench, reported as the median ms per call and GFLOP/s, and beside them
// the fastest call.
import { Bench } from 'tinybench';

export interface BenchResult {
  name: string;
  cell: string;
  config: string;
  variant: string;
  pass: 'forward' | 'train';
  /** The float32 kernels the case runs on. */
  backend: 'js' | 'wasm';
  /** Median ms per call. */
  ms: number;
  /** GFLOP/s at the median. */
  gflops: number;
}

/** A result with its fastest call as well: what the code does when the machine is quiet. */
export interface TimedResult extends BenchResult {
  bestMs: number;
  bestGflops: number;
}

export interface BenchCase extends Omit<BenchResult, 'ms' | 'gflops'> {
  /** Floating-point operations in one call. */
  flops: number;
  /** Make the case's data and return the call to time (made just before it runs, dropped after). */
  setup: () => () => void;
}

export interface BenchBudget {
  /** Time per task in ms. */
  time: number;
  /** Minimum calls per task. */
  iterations: number;
  /** Minimum calls before timing starts (and at least a quarter of `time`). */
  warmupIterations: number;
}

/**
 * Time one case in a tinybench Bench, its data made just before (bench/case.ts runs each
 * case in a process of its own).
 */
export async function measureCase(c: BenchCase, budget: BenchBudget): Promise<TimedResult> {
  const bench = new Bench({
    time: budget.time,
    iterations: budget.iterations,
    warmupTime: budget.time / 4,
    warmupIterations: budget.warmupIterations,
  });
  bench.add(c.name, c.setup());
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`bench: task ${c.name} did not complete (${result.state})`);
  // The median: on a shared 2-core machine a few slow samples would drag the mean. The
  // fastest call shows the code without the neighbours (a busy sibling hyperthread can
  // halve a throughput-bound loop for seconds at a time).
  const ms = result.latency.p50,
    bestMs = result.latency.min;
  return {
    name: c.name,
    cell: c.cell,
    config: c.config,
    variant: c.variant,
    pass: c.pass,
    backend: c.backend,
    ms,
    gflops: c.flops / (ms * 1e6),
    bestMs,
    bestGflops: c.flops / (bestMs * 1e6),
  };
}
