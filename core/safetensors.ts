// The .safetensors format (Hugging Face), read and written without a dependency:
//
//   8 bytes   N, the header length, unsigned 64-bit little-endian
//   N bytes   a UTF-8 JSON object {"__metadata__": {string: string}, name: {dtype, shape, data_offsets}}
//   the rest  the tensors' bytes, little-endian, row-major, back to back
//
// data_offsets [begin, end) count from the first byte after the header; together the
// tensors must cover that region exactly. Like the reference writer, this one orders the
// tensors by dtype (F64 before F32) and then by name, writes compact JSON with
// __metadata__ first, and pads the header with spaces to a multiple of 8 bytes, so that
// every tensor starts aligned. Files are written to a temporary name and renamed, so a
// crash mid-write never leaves a half-written file under the real name.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Buf } from '../kernels/types.js';
import { alloc } from './alloc.js';
import { FormatError } from './errors.js';
import { shapeStr, sizeOf } from './shape.js';
import { ArgumentError } from './errors.js';

export type SafetensorsDtype = 'F32' | 'F64';

export interface SafetensorsEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Buf;
}

export interface SafetensorsFile {
  tensors: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, F64: 8 };
/** The reference reader refuses headers above 100 MB; so does this one. */
const MAX_HEADER = 100_000_000;

function dtypeOfBuf(data: Buf): SafetensorsDtype {
  return data instanceof Float64Array ? 'F64' : 'F32';
}

/** The file's bytes for these tensors and metadata. */
export function encodeSafetensors(tensors: Record<string, { shape: readonly number[]; data: Buf }>, metadata: Record<string, string> = {}): Uint8Array {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new ArgumentError('safetensors', `metadata value of ${key}`, 'a string', value);
  }
  const names = Object.keys(tensors).sort((a, b) => {
    const byDtype = BYTES[dtypeOfBuf(tensors[b].data)] - BYTES[dtypeOfBuf(tensors[a].data)];
    return byDtype !== 0 ? byDtype : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new Error('safetensors: __metadata__ cannot name a tensor');
    const { shape, data } = tensors[name];
    if (sizeOf(shape) !== data.length) throw new Error(`safetensors: tensor ${name} has shape ${shapeStr(shape)} but ${data.length} values`);
    const dtype = dtypeOfBuf(data);
    const end = offset + data.length * BYTES[dtype];
    header[name] = { dtype, shape: [...shape], data_offsets: [offset, end] };
    offset = end;
  }
  let json = JSON.stringify(header);
  const jsonBytes = new TextEncoder().encode(json);
  const padded = jsonBytes.length + ((8 - (jsonBytes.length % 8)) % 8);
  json = json + ' '.repeat(padded - jsonBytes.length);
  const bytes = new Uint8Array(8 + padded + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  bytes.set(new TextEncoder().encode(json), 8);
  let at = 8 + padded;
  for (const name of names) {
    const { data } = tensors[name];
    const f64 = data instanceof Float64Array;
    for (let q = 0; q < data.length; q++, at += f64 ? 8 : 4) {
      if (f64) view.setFloat64(at, data[q], true);
      else view.setFloat32(at, data[q], true);
    }
  }
  return bytes;
}

/** Parse a file's bytes; anything malformed is an Error that says what and where. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new FormatError('safetensors:', source, why);
  };
  if (bytes.length < 8) fail(`is ${bytes.length} bytes long; a file needs at least the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) {
    fail(`is not a .safetensors file, or is cut short: its first 8 bytes give a ${n}-byte header, but only ${bytes.length - 8} bytes follow them`);
  }
  if (n > MAX_HEADER) fail(`declares a ${n}-byte header, more than the ${MAX_HEADER} allowed`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    fail(`has a header that is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('has a header that is not a JSON object');
  const entries = Object.entries(header as Record<string, unknown>);
  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of entries) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) fail('has __metadata__ that is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`has metadata ${k} that is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') fail(`has tensor ${name} whose entry is not an object`);
    if (info.dtype !== 'F32' && info.dtype !== 'F64') fail(`has tensor ${name} of dtype ${String(info.dtype)}, not one of the dtypes rnnlab reads (F32, F64)`);
    const shape = info.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail(`has tensor ${name} with a malformed shape ${JSON.stringify(shape)}`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`has tensor ${name} with malformed data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const dtype = info.dtype as SafetensorsDtype;
    if (end - begin !== sizeOf(shape as number[]) * BYTES[dtype]) {
      fail(`has tensor ${name} whose data_offsets [${begin}, ${end}) do not hold ${shapeStr(shape as number[])} ${dtype} values`);
    }
    infos.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const dataLength = bytes.length - 8 - n;
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const info of infos) {
    if (info.begin !== expected) fail(`has tensor ${info.name} at byte ${info.begin}, expected ${expected}: the tensors must be back to back`);
    expected = info.end;
  }
  if (expected !== dataLength) {
    fail(`has ${dataLength} data bytes but its tensors cover ${expected}${dataLength < expected ? ' (truncated?)' : ''}`);
  }
  const tensors: Record<string, SafetensorsEntry> = {};
  for (const info of infos) {
    const count = sizeOf(info.shape);
    const data = alloc(info.dtype === 'F64' ? 'f64' : 'f32', count);
    const start = 8 + n + info.begin;
    for (let q = 0; q < count; q++) {
      data[q] = info.dtype === 'F64' ? view.getFloat64(start + 8 * q, true) : view.getFloat32(start + 4 * q, true);
    }
    tensors[info.name] = { dtype: info.dtype, shape: info.shape, data };
  }
  return { tensors, metadata };
}

/**
 * Write atomically: a temporary file `${path}.tmp-<pid>-<time>` in the same folder, flushed
 * to disk, renamed over `path`, and the folder flushed so that the rename survives a crash.
 * A failed write removes its temporary file and names the path it was writing; temporary
 * files left by writers that were killed (their process is gone) are removed first.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  removeStaleTemps(path);
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

/** Remove `${path}.tmp-<pid>-<time>` files whose writing process no longer runs. */
function removeStaleTemps(path: string): void {
  const folder = dirname(path), prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)-\d+$/.exec(name.slice(prefix.length)) : null;
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

export function saveSafetensors(path: string, tensors: Record<string, { shape: readonly number[]; data: Buf }>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

export function loadSafetensors(path: string): SafetensorsFile {
  let bytes: Uint8Array;
  try {
    if (statSync(path).isDirectory()) throw new FormatError('safetensors:', path, 'is a folder, not a .safetensors file');
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof FormatError) throw err;
    throw new Error(`safetensors: cannot read ${path}: ${(err as Error).message}`);
  }
  return decodeSafetensors(bytes, path);
}
