// Rewrite every block marked `<!-- output of: COMMAND -->` in the README and the docs with
// what COMMAND prints now (npx rnnlab runs the built CLI). Review the diff before committing:
// the specs hold the pages to these outputs.  Run: npm run build && node tools/update-readme-outputs.mjs
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const pages = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
for (const page of pages) {
  const before = readFileSync(page, 'utf8');
  const after = before.replace(/(<!-- output of: (.+?) -->\n```\w*\n)([\s\S]*?)```/g, (_, head, command) => {
    const argv = command.replace(/^npx rnnlab /, 'node dist/cli/main.js ').split(' ');
    // The default backend, as a reader's run has it (spec/readme.spec.ts runs them the same way).
    const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
    delete env.RNNLAB_BACKEND;
    const r = spawnSync(process.execPath, argv.slice(1), { encoding: 'utf8', env });
    if (r.stderr) throw new Error(`${command}: ${r.stderr}`);
    console.log(`${page}: ran ${command}`);
    return `${head}${r.stdout}\`\`\``;
  });
  if (after !== before) writeFileSync(page, after);
}
