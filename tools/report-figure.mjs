// Copy the n-th chart (an inline SVG) of a report.html into its own file, for the docs:
//   node tools/report-figure.mjs runs/<folder>/report.html 0 docs/img/<name>.svg
import { readFileSync, writeFileSync } from 'node:fs';

const [report, index, out] = process.argv.slice(2);
if (out === undefined) throw new Error('usage: node tools/report-figure.mjs REPORT.html N OUT.svg');
const charts = readFileSync(report, 'utf8').match(/<svg[\s\S]*?<\/svg>/g) ?? [];
const chart = charts[Number(index)];
if (chart === undefined) throw new Error(`${report} has ${charts.length} charts; there is no chart ${index}`);
writeFileSync(out, `${chart}\n`);
console.log(`${out}: chart ${index} of ${charts.length} from ${report}`);
