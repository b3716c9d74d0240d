// Files on disk: written atomically, and .safetensors files read and written through
// safetensors.ts. (The only part of core that needs Node's file system.)
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { FormatError } from './errors.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsFile, type SafetensorsInput } from './safetensors.js';

/**
 * Write atomically: a temporary file `${path}.tmp-<pid>-<time>` in the same folder, flushed
 * to disk, renamed over `path`, and the folder flushed so that the rename survives a crash.
 * A failed write removes its temporary file and names the path it was writing; temporary
 * files that writers which were killed (their process is gone) left in the folder are
 * removed first, as every load from a folder removes them.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  removeStaleTemps(dirname(path));
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  let fd: number | null = null;
  try {
    fd = openSync(temp, 'w');
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
    fsyncFolder(dirname(path));
  } catch (err) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file was never created, or is gone already
    }
    const e = err as NodeJS.ErrnoException;
    throw Object.assign(new Error(`cannot write ${path}: ${e.message}`, { cause: err }), { code: e.code });
  }
}

/** Flush a folder's entries (the rename) to disk; some file systems cannot, which is no error. */
function fsyncFolder(folder: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // opening or syncing a folder is not supported everywhere
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Remove the folder's `<name>.tmp-<pid>-<time>` files (writeFileAtomic's) whose writing process no longer runs. */
export function removeStaleTemps(folder: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /.\.tmp-(\d+)-\d+$/.exec(name);
    if (m === null || processRuns(Number(m[1]))) continue;
    try {
      unlinkSync(join(folder, name));
    } catch {
      // removed meanwhile by another writer
    }
  }
}

function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function saveSafetensors(
  path: string,
  tensors: Record<string, SafetensorsInput>,
  metadata: Record<string, string> = {},
): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Read a .safetensors file (and remove what killed writers left in its folder). */
export function loadSafetensors(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  removeStaleTemps(dirname(path));
  try {
    if (statSync(path).isDirectory())
      throw new FormatError('safetensors:', path, 'is a folder, not a .safetensors file');
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new Error(`safetensors: cannot read ${path}: ${(err as Error).message}`);
  }
  return decodeSafetensors(bytes, path);
}
