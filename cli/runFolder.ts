// Run folders: one per training run or comparison, named by the time it started and what it is.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** A new folder `<root>/<time>-<name>` (-2, -3, … when runs start in the same second). */
export function makeRunFolder(root: string, name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  for (let n = 1; n <= 1000; n++) {
    const dir = join(root, `${stamp}-${name}${n === 1 ? '' : `-${n}`}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`${join(root, `${stamp}-${name}`)}: a thousand run folders of that name exist already`);
}
