// The browser module graph: every compiled module a page loads, found by following the
// static and dynamic imports of its entry modules. The playground's server serves exactly
// these files; spec/playground.spec.ts checks that none of them needs Node.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

export interface ModuleGraph {
  /** Every module reached, as paths relative to the root, entries first. */
  modules: string[];
  /** Imports that are not a relative path to a file (a bare package or a node: module): "from → specifier". */
  external: string[];
}

const importPattern =
  /(?:^|[;\n}])\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[;\n}])\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|new\s+Worker\(\s*['"]([^'"]+)['"]/g;

/** Follow the imports of `entries` (paths relative to `root`, a folder of compiled .js). */
export function moduleGraph(root: string, entries: readonly string[]): ModuleGraph {
  const seen = new Set<string>(),
    external: string[] = [];
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const source = readFileSync(resolve(root, path), 'utf8');
    for (const m of source.matchAll(importPattern)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      if (spec.startsWith('./') || spec.startsWith('../')) visit(relative(root, resolve(root, dirname(path), spec)));
      else if (spec.startsWith('/')) visit(spec.slice(1));
      else external.push(`${path} → ${spec}`);
    }
  };
  entries.forEach(visit);
  return { modules: [...seen], external };
}
