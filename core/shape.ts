// Shapes: their size, their printed form, and the checks whose messages name what came.
import { ArgumentError } from './errors.js';
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function checkShape(where: string, shape: unknown): Shape {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(where, 'shape', 'an array of non-negative integers', JSON.stringify(shape), true);
  }
  return shape as Shape;
}
