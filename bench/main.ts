// `npm run bench [-- --quick] [-- --json] [-- --only TEXT]`
import { formatResults, jsonResults, runBench } from './suite.js';
import { Progress } from '../cli/progress.js';

const argv = process.argv.slice(2);
const only = argv.indexOf('--only');
let progress: Progress | null = null;
const results = await runBench({ quick: argv.includes('--quick'), filter: only < 0 ? undefined : argv[only + 1] }, (done, total, name) => {
  progress ??= new Progress('bench', total, 0);
  progress.update(done, name);
});
(progress as Progress | null)?.done();
console.log(formatResults(results));
if (argv.includes('--json')) console.log(jsonResults(results));
