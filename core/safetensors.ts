// The .safetensors format (Hugging Face), read and written without a dependency:
//
//   8 bytes   N, the header length, unsigned 64-bit little-endian
//   N bytes   a UTF-8 JSON object {"__metadata__": {string: string}, name: {dtype, shape, data_offsets}}
//   the rest  the tensors' bytes, little-endian, row-major, back to back
//
// data_offsets [begin, end) count from the first byte after the header; together the
// tensors must cover that region exactly. Like the reference writer, this one orders the
// tensors by the size of their dtype (largest first) and then by name, writes compact JSON
// with __metadata__ first, and pads the header with spaces to a multiple of 8 bytes, so
// that every tensor starts aligned.
//
// dtypes, and the arrays they come and go as:
//   F64 Float64Array   F32 Float32Array   F16 read into a Float32Array (exact), written from
//   one rounded to the nearest half (ties to even; a finite value too large for a half is
//   refused, not written as Infinity)   I64 BigInt64Array   I32 Int32Array
//   U8 Uint8Array   BOOL a Uint8Array of 0 and 1 (written only when asked for by name)
// Anything else is refused with the tensor's name. This module reads and writes bytes only;
// files.ts puts them on disk.
import { alloc } from './alloc.js';
import { ArgumentError, FormatError } from './errors.js';
import { shapeStr, sizeOf } from './shape.js';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'I64' | 'I32' | 'U8' | 'BOOL';
export const safetensorsDtypes: readonly SafetensorsDtype[] = ['F64', 'F32', 'F16', 'I64', 'I32', 'U8', 'BOOL'];

/** The arrays tensors travel as. */
export type SafetensorsArray = Float64Array | Float32Array | BigInt64Array | Int32Array | Uint8Array;

export interface SafetensorsEntry {
  /** The dtype in the file (an F16 tensor's data is a Float32Array). */
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafetensorsArray;
}

export interface SafetensorsFile {
  tensors: Record<string, SafetensorsEntry>;
  metadata: Record<string, string>;
}

/** A tensor to write: its dtype follows its array (F32 for a Float32Array, …) unless given (F16, BOOL). */
export interface SafetensorsInput {
  shape: readonly number[];
  data: SafetensorsArray;
  dtype?: SafetensorsDtype;
}

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, I64: 8, F32: 4, I32: 4, F16: 2, U8: 1, BOOL: 1 };
/** The reference reader refuses headers above 100 MB; so does this one. */
const MAX_HEADER = 100_000_000;

/** The dtype a tensor is written as: the one asked for, which its array must be able to hold, or its array's. */
function dtypeToWrite(name: string, t: SafetensorsInput): SafetensorsDtype {
  const natural: SafetensorsDtype | null =
    t.data instanceof Float64Array
      ? 'F64'
      : t.data instanceof Float32Array
        ? 'F32'
        : t.data instanceof BigInt64Array
          ? 'I64'
          : t.data instanceof Int32Array
            ? 'I32'
            : t.data instanceof Uint8Array
              ? 'U8'
              : null;
  if (natural === null)
    throw new ArgumentError(
      'safetensors',
      `tensor ${name}`,
      'a Float64Array, Float32Array, BigInt64Array, Int32Array or Uint8Array',
      t.data,
    );
  const dtype = t.dtype ?? natural;
  const fits =
    dtype === natural ||
    (dtype === 'F16' && (natural === 'F32' || natural === 'F64')) ||
    (dtype === 'BOOL' && natural === 'U8');
  if (!fits)
    throw new ArgumentError(
      'safetensors',
      `dtype of tensor ${name}`,
      `one its ${t.data.constructor.name} can hold (${natural}${natural.startsWith('F') ? ' or F16' : natural === 'U8' ? ' or BOOL' : ''})`,
      dtype,
    );
  if (dtype === 'F16') {
    // A finite value beyond the largest half (65504, and whatever rounds to it) would be written as ±Infinity.
    let largest = 0,
      at = -1;
    t.data.forEach((v, q) => {
      if (Number.isFinite(v) && Math.abs(v as number) > Math.abs(largest)) [largest, at] = [v as number, q];
    });
    if (at >= 0 && (toHalf(largest) & 0x7fff) === 0x7c00) {
      throw new ArgumentError(
        'safetensors',
        `tensor ${name}`,
        `within F16's range (±65504) to be written as F16 (write it as F32, or scale it)`,
        `${largest} at ${name}[${at}], its largest value`,
        true,
      );
    }
  }
  if (dtype === 'BOOL') {
    const q = (t.data as Uint8Array).findIndex((v) => v > 1);
    if (q >= 0) throw new ArgumentError('safetensors', `tensor ${name}[${q}]`, '0 or 1 in a BOOL tensor', t.data[q]);
  }
  return dtype;
}

/** The file's bytes for these tensors and metadata. */
export function encodeSafetensors(
  tensors: Record<string, SafetensorsInput>,
  metadata: Record<string, string> = {},
): Uint8Array {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string')
      throw new ArgumentError('safetensors', `metadata value of ${key}`, 'a string', value);
  }
  const dtypes = new Map(Object.entries(tensors).map(([name, t]) => [name, dtypeToWrite(name, t)]));
  const names = Object.keys(tensors).sort((a, b) => {
    const bySize = BYTES[dtypes.get(b)!] - BYTES[dtypes.get(a)!];
    return bySize !== 0 ? bySize : a < b ? -1 : a > b ? 1 : 0;
  });
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__')
      throw new ArgumentError('safetensors', 'a tensor name', 'anything but __metadata__', name);
    const { shape, data } = tensors[name];
    if (sizeOf(shape) !== data.length)
      throw new ArgumentError(
        'safetensors',
        `tensor ${name}`,
        `${sizeOf(shape)} values for shape ${shapeStr(shape)}`,
        data.length,
      );
    const end = offset + data.length * BYTES[dtypes.get(name)!];
    header[name] = { dtype: dtypes.get(name), shape: [...shape], data_offsets: [offset, end] };
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
    writeValues(view, at, dtypes.get(name)!, tensors[name].data);
    at += tensors[name].data.length * BYTES[dtypes.get(name)!];
  }
  return bytes;
}

function writeValues(view: DataView, at: number, dtype: SafetensorsDtype, data: SafetensorsArray): void {
  const n = data.length;
  switch (dtype) {
    case 'F64':
      for (let q = 0; q < n; q++) view.setFloat64(at + 8 * q, data[q] as number, true);
      break;
    case 'F32':
      for (let q = 0; q < n; q++) view.setFloat32(at + 4 * q, data[q] as number, true);
      break;
    case 'F16':
      for (let q = 0; q < n; q++) view.setUint16(at + 2 * q, toHalf(data[q] as number), true);
      break;
    case 'I64':
      for (let q = 0; q < n; q++) view.setBigInt64(at + 8 * q, data[q] as bigint, true);
      break;
    case 'I32':
      for (let q = 0; q < n; q++) view.setInt32(at + 4 * q, data[q] as number, true);
      break;
    case 'U8':
    case 'BOOL':
      for (let q = 0; q < n; q++) view.setUint8(at + q, data[q] as number);
      break;
  }
}

/** Parse a file's bytes; anything malformed is a FormatError that says what and where. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new FormatError('safetensors:', source, why);
  };
  if (bytes.length < 8) fail(`is ${bytes.length} bytes long; a file needs at least the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) {
    fail(
      `is not a .safetensors file, or is cut short: its first 8 bytes give a ${n}-byte header, but only ${bytes.length - 8} bytes follow them`,
    );
  }
  if (n > MAX_HEADER) fail(`declares a ${n}-byte header, more than the ${MAX_HEADER} allowed`);
  let header: unknown,
    text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
    header = JSON.parse(text);
  } catch (err) {
    fail(`has a header that is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail('has a header that is not a JSON object');
  // JSON.parse keeps the last of two equal names; a header that names a tensor twice is refused instead.
  const keys = topLevelKeys(text);
  const twice = keys.find((k, q) => keys.indexOf(k) !== q);
  if (twice !== undefined)
    fail(`names ${twice === '__metadata__' ? '__metadata__' : `tensor ${twice}`} twice in its header`);
  const metadata: Record<string, string> = {};
  const infos: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        fail('has __metadata__ that is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`has metadata ${k} that is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') fail(`has tensor ${name} whose entry is not an object`);
    if (!safetensorsDtypes.includes(info.dtype as SafetensorsDtype)) {
      fail(
        `has tensor ${name} of dtype ${String(info.dtype)}, not one of the dtypes rnnlab reads (${safetensorsDtypes.join(', ')})`,
      );
    }
    const shape = info.shape;
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
      !Number.isSafeInteger(sizeOf(shape as number[]))
    ) {
      fail(
        `has tensor ${name} with a malformed shape ${JSON.stringify(shape)} (each dimension, and their product, a safe integer ≥ 0)`,
      );
    }
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`has tensor ${name} with malformed data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const dtype = info.dtype as SafetensorsDtype;
    if (end - begin !== sizeOf(shape as number[]) * BYTES[dtype]) {
      fail(
        `has tensor ${name} whose data_offsets [${begin}, ${end}) do not hold ${shapeStr(shape as number[])} ${dtype} values`,
      );
    }
    infos.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const dataLength = bytes.length - 8 - n;
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const info of infos) {
    if (info.begin !== expected)
      fail(`has tensor ${info.name} at byte ${info.begin}, expected ${expected}: the tensors must be back to back`);
    expected = info.end;
  }
  if (expected !== dataLength) {
    fail(
      `has ${dataLength} data bytes but its tensors cover ${expected}${dataLength < expected ? ' (truncated?)' : ''}`,
    );
  }
  const tensors: Record<string, SafetensorsEntry> = {};
  for (const info of infos) {
    const data = readValues(view, 8 + n + info.begin, info.dtype, sizeOf(info.shape));
    if (info.dtype === 'BOOL') {
      const q = (data as Uint8Array).findIndex((v) => v > 1);
      if (q >= 0) fail(`has BOOL tensor ${info.name} holding ${data[q]} at ${q}; a BOOL is 0 or 1`);
    }
    tensors[info.name] = { dtype: info.dtype, shape: info.shape, data };
  }
  return { tensors, metadata };
}

/** The top-level names of a JSON object's text, in order and with repeats (the text is valid JSON). */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let q = 0; q < json.length; q++) {
    const ch = json[q];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      let end = q + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      let next = end + 1;
      while (/\s/.test(json[next])) next++;
      if (depth === 1 && json[next] === ':') keys.push(JSON.parse(json.slice(q, end + 1)) as string);
      q = end;
    }
  }
  return keys;
}

function readValues(view: DataView, at: number, dtype: SafetensorsDtype, n: number): SafetensorsArray {
  switch (dtype) {
    case 'F64': {
      const d = alloc('f64', n);
      for (let q = 0; q < n; q++) d[q] = view.getFloat64(at + 8 * q, true);
      return d;
    }
    case 'F32': {
      const d = alloc('f32', n);
      for (let q = 0; q < n; q++) d[q] = view.getFloat32(at + 4 * q, true);
      return d;
    }
    case 'F16': {
      const d = alloc('f32', n);
      for (let q = 0; q < n; q++) d[q] = fromHalf(view.getUint16(at + 2 * q, true));
      return d;
    }
    case 'I64': {
      const d = new BigInt64Array(n);
      for (let q = 0; q < n; q++) d[q] = view.getBigInt64(at + 8 * q, true);
      return d;
    }
    case 'I32': {
      const d = alloc('i32', n);
      for (let q = 0; q < n; q++) d[q] = view.getInt32(at + 4 * q, true);
      return d;
    }
    case 'U8':
    case 'BOOL': {
      const d = new Uint8Array(n);
      for (let q = 0; q < n; q++) d[q] = view.getUint8(at + q);
      return d;
    }
  }
}

/** An IEEE 754 half (its 16 bits) as a number: exact. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1,
    exponent = (h >>> 10) & 0x1f,
    mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A number as the 16 bits of the nearest IEEE 754 half (ties to even; too large: ±Infinity), by way of float32. */
export function toHalf(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000,
    exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  // Keep the top 10 bits of the mantissa (for a subnormal half, fewer), rounding what is cut off.
  let shift = 13,
    h: number;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    shift = 14 - e;
    h = mantissa >>> shift;
  } else {
    h = (e << 10) | (mantissa >>> 13);
  }
  const rest = mantissa & ((1 << shift) - 1),
    halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (h & 1) === 1)) h++;
  return sign | h;
}
