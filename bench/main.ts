// `npm run bench [-- --quick] [-- --json] [-- --only TEXT]`
import { formatResults, runBench } from './suite.js';

const argv = process.argv.slice(2);
const only = argv.indexOf('--only');
const results = await runBench({ quick: argv.includes('--quick'), filter: only < 0 ? undefined : argv[only + 1] });
console.log(formatResults(results));
if (argv.includes('--json')) console.log(JSON.stringify({ results }));
