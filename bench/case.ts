// One benchmark case in a process of its own, so that what V8 compiled for the cases before
// it cannot slow it down: `node dist/bench/case.js NAME [--quick]` prints its result as one
// line of JSON. runBench in suite.ts runs every case this way.
import { setBackend } from '../index.js';
import { measureCase } from './measure.js';
import { benchBudget, benchCases } from './suite.js';

const [name, ...flags] = process.argv.slice(2);
const quick = flags.includes('--quick');
const found = benchCases({ quick }).find((c) => c.name === name);
if (found === undefined) {
  console.error(`bench case: expected the name of a case of the suite, got "${name}"`);
  process.exit(2);
}
setBackend(found.backend);
console.log(JSON.stringify(await measureCase(found, benchBudget(quick))));
