// Run folders: one per training run or comparison, named by the time it started and what it is.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args.js';

/** Make the root of the run folders (with its parents) and check it is writable, before any training. */
export function checkRunsRoot(command: string, root: string): void {
  try {
    mkdirSync(root, { recursive: true });
    accessSync(root, constants.W_OK);
  } catch (err) {
    throw new UsageError(`${command}: --runs ${root} cannot hold run folders: ${(err as Error).message}`, '--runs');
  }
}

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
