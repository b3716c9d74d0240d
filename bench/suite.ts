// `npm run bench`: GEMM naive against blocked, recurrent layers fused against unfused; a
// table of ms and GFLOP/s, and with --json one JSON object as the last line. --quick runs
// small sizes in a few seconds (the spec runs that).
import { gemmCases, gemmShapes, type GemmShape } from './gemmBench.js';
import { measure, type BenchCase, type BenchResult } from './measure.js';
import { layerCases, layerConfigs, type LayerConfig } from './recurrentBench.js';

export interface BenchOptions {
  quick: boolean;
  /** Only cases whose name contains this. */
  filter?: string;
}

export function benchCases(options: BenchOptions): BenchCase[] {
  const { quick } = options;
  const shrink = (s: GemmShape): GemmShape => [Math.ceil(s[0] / 16), Math.ceil(s[1] / 16), Math.ceil(s[2] / 16), s[3], s[4]];
  const shapes = quick ? gemmShapes.map(shrink) : gemmShapes;
  const tiny = (c: LayerConfig): LayerConfig => ({ ...c, B: Math.min(c.B, 4), T: Math.min(c.T, 5), I: 16, H: 16 });
  const configs = quick ? (['S', 'M', 'L'] as const).map((k) => tiny(layerConfigs[k])) : Object.values(layerConfigs);
  const cases = [
    ...gemmCases(shapes),
    ...configs.flatMap((c) => layerCases('lstm', c, ['fused', 'unfused'])),
    ...layerCases('gru', quick ? configs[1] : layerConfigs.M, ['fused', 'unfused']),
    ...layerCases('rnn', quick ? configs[1] : layerConfigs.M, ['fused', 'unfused']),
  ];
  return cases.filter((c) => options.filter === undefined || c.name.includes(options.filter));
}

export async function runBench(options: BenchOptions, onCase?: (done: number, total: number, name: string) => void): Promise<BenchResult[]> {
  const budget = options.quick ? { time: 20, iterations: 1 } : { time: 1500, iterations: 3 };
  const cases = benchCases(options);
  return measure(cases, budget, (done, name) => onCase?.(done, cases.length, name));
}

/** The table: every result, then the fused/unfused speed-ups. */
export function formatResults(results: readonly BenchResult[]): string {
  const lines = [`node ${process.version}, one thread, float32`, `${'name'.padEnd(30)}${'ms'.padStart(12)}${'GFLOP/s'.padStart(10)}`];
  for (const r of results) lines.push(`${r.name.padEnd(30)}${r.ms.toFixed(3).padStart(12)}${r.gflops.toFixed(2).padStart(10)}`);
  for (const fused of results.filter((r) => r.variant === 'fused')) {
    const unfused = results.find((r) => r.variant === 'unfused' && r.cell === fused.cell && r.config === fused.config && r.pass === fused.pass);
    if (unfused !== undefined) lines.push(`${fused.cell} ${fused.config} ${fused.pass}: fused ${(unfused.ms / fused.ms).toFixed(2)}× faster than unfused`);
  }
  return lines.join('\n');
}
