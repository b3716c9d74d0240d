// `npm run bench`: the benchmark table (and with --json one JSON object as the last line).
import { gemmCases, gemmShapes } from './gemmBench.js';
import { measure } from './measure.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const budget = quick ? { time: 100, iterations: 2 } : { time: 1000, iterations: 5 };
const shapes = quick ? gemmShapes.map(([m, n, k, ta, tb]) => [Math.min(m, 64), Math.min(n, 64), Math.min(k, 64), ta, tb] as typeof gemmShapes[0]) : gemmShapes;

const results = await measure(gemmCases(shapes), budget);
console.log(`node ${process.version}, single thread, float32`);
console.log('name'.padEnd(36) + 'ms'.padStart(12) + 'GFLOP/s'.padStart(10));
for (const r of results) console.log(r.name.padEnd(36) + r.ms.toFixed(3).padStart(12) + r.gflops.toFixed(2).padStart(10));
if (json) console.log(JSON.stringify({ results }));
