// `npm run bench`: GEMM naive against blocked, recurrent layers fused against unfused; a
// table of ms and GFLOP/s, and with --json one JSON object as the last line. --quick runs
// small sizes in a few seconds (the spec runs that). Each case runs in a process of its own.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gemmCases, gemmShapes, type GemmShape } from './gemmBench.js';
import type { BenchBudget, BenchCase, BenchResult, TimedResult } from './measure.js';
import { layerCases, layerConfigs, type LayerConfig } from './recurrentBench.js';
import { wasmAvailable } from '../index.js';

export interface BenchOptions {
  quick: boolean;
  /** Only cases whose name contains this. */
  filter?: string;
}

export function benchCases(options: BenchOptions): BenchCase[] {
  const { quick } = options;
  const shrink = (s: GemmShape): GemmShape => [
    Math.ceil(s[0] / 16),
    Math.ceil(s[1] / 16),
    Math.ceil(s[2] / 16),
    s[3],
    s[4],
  ];
  const shapes = quick ? gemmShapes.map(shrink) : gemmShapes;
  const tiny = (c: LayerConfig): LayerConfig => ({ ...c, B: Math.min(c.B, 4), T: Math.min(c.T, 5), I: 16, H: 16 });
  const configs = quick ? (['S', 'M', 'L'] as const).map((k) => tiny(layerConfigs[k])) : Object.values(layerConfigs);
  const backends = wasmAvailable().ok ? (['js', 'wasm'] as const) : (['js'] as const);
  const cases = [
    ...gemmCases(shapes),
    ...configs.flatMap((c) => layerCases('lstm', c, ['fused', 'unfused'], backends)),
    ...layerCases('gru', quick ? configs[1] : layerConfigs.M, ['fused', 'unfused'], backends),
    ...layerCases('rnn', quick ? configs[1] : layerConfigs.M, ['fused', 'unfused'], backends),
  ];
  return cases.filter((c) => options.filter === undefined || c.name.includes(options.filter));
}

/** tinybench's budget per case: time, fewest timed calls and fewest warm-up calls. */
export function benchBudget(quick: boolean): BenchBudget {
  return quick ? { time: 20, iterations: 1, warmupIterations: 1 } : { time: 1500, iterations: 3, warmupIterations: 5 };
}

/**
 * Every case, each in a fresh Node process (bench/case.ts), one after another: a case timed
 * after others inherits what V8 compiled for them, and their garbage. Each process warms
 * its case up for at least five calls before timing it, while V8 is still compiling (a
 * fresh LSTM M training pass took 340-420 ms on its first call here, 220-300 ms later).
 */
export async function runBench(
  options: BenchOptions,
  onCase?: (done: number, total: number, name: string) => void,
): Promise<TimedResult[]> {
  const cases = benchCases(options);
  const script = fileURLToPath(new URL('./case.js', import.meta.url));
  const results: TimedResult[] = [];
  for (const c of cases) {
    const run = spawnSync(process.execPath, [script, c.name, ...(options.quick ? ['--quick'] : [])], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`bench: case "${c.name}" failed (exit ${run.status}): ${run.stderr.trim()}`);
    results.push(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as TimedResult);
    onCase?.(results.length, cases.length, c.name);
  }
  return results;
}

/**
 * The table: every result, median then fastest call, then the fused/unfused speed-ups
 * (from the medians, and in brackets from the fastest calls).
 */
export function formatResults(results: readonly TimedResult[]): string {
  const row = (cells: string[]) =>
    cells[0].padEnd(30) +
    cells
      .slice(1)
      .map((x) => x.padStart(11))
      .join('');
  const lines = [
    `node ${process.version}, one thread, float32; median of the calls, and the fastest call`,
    row(['name', 'ms', 'GFLOP/s', 'best ms', 'best GF/s']),
  ];
  for (const r of results)
    lines.push(row([r.name, r.ms.toFixed(3), r.gflops.toFixed(2), r.bestMs.toFixed(3), r.bestGflops.toFixed(2)]));
  const same = (r: TimedResult, s: TimedResult) => r.cell === s.cell && r.config === s.config && r.pass === s.pass;
  for (const fused of results.filter((r) => r.variant === 'fused')) {
    const unfused = results.find((r) => r.variant === 'unfused' && same(r, fused) && r.backend === fused.backend);
    if (unfused !== undefined) {
      lines.push(
        `${fused.cell} ${fused.config} ${fused.pass} (${fused.backend}): fused ${(unfused.ms / fused.ms).toFixed(2)}× faster than unfused (fastest calls ${(unfused.bestMs / fused.bestMs).toFixed(2)}×)`,
      );
    }
  }
  // js → wasm: the same case on the other backend (the GEMM's against the blocked TypeScript kernel).
  for (const w of results.filter((r) => r.backend === 'wasm')) {
    const js = results.find(
      (r) =>
        r.backend === 'js' &&
        same(r, w) &&
        (r.variant === w.variant || (w.variant === 'wasm' && r.variant === 'blocked')),
    );
    if (js !== undefined)
      lines.push(
        `${w.name}: ${(js.ms / w.ms).toFixed(2)}× the speed of ${js.name} (fastest calls ${(js.bestMs / w.bestMs).toFixed(2)}×)`,
      );
  }
  return lines.join('\n');
}

/** The --json line: the fields only (ms and GFLOP/s at the median). */
export function jsonResults(results: readonly TimedResult[]): string {
  const plain: BenchResult[] = results.map(({ name, cell, config, variant, pass, backend, ms, gflops }) => ({
    name,
    cell,
    config,
    variant,
    pass,
    backend,
    ms,
    gflops,
  }));
  return JSON.stringify({ results: plain });
}
