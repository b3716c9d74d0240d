// Rewrite every README block marked `<!-- output of: COMMAND -->` with what COMMAND prints
// now (npx rnnlab runs the built CLI). Review the diff before committing: the specs hold
// the README to these outputs.  Run: npm run build && node tools/update-readme-outputs.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');
const updated = readme.replace(/(<!-- output of: (.+?) -->\n```\w*\n)([\s\S]*?)```/g, (_, head, command) => {
  const argv = command.replace(/^npx rnnlab /, 'node dist/cli/main.js ').split(' ');
  const r = spawnSync(process.execPath, argv.slice(1), { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  if (r.stderr) throw new Error(`${command}: ${r.stderr}`);
  console.log(`ran: ${command}`);
  return `${head}${r.stdout}\`\`\``;
});
writeFileSync('README.md', updated);
