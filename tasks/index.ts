import type { Task } from './task.js';
import { addingTask } from './adding.js';
import { arithTask } from './arith.js';
import { copyTask } from './copy.js';
import { orderTask } from './order.js';
import { xmlTask } from './xml.js';

export type { Task, TaskBatch, TargetKind } from './task.js';
export { addingTask, arithTask, copyTask, orderTask, xmlTask };

export const taskNames = ['adding', 'copy', 'order', 'arith', 'xml'] as const;
export type TaskName = (typeof taskNames)[number];

/** A task by name; `size` is its length parameter (T, or the digits of arith). */
export function makeTask(name: string, size?: number): Task {
  switch (name) {
    case 'adding': return addingTask(size ?? 50);
    case 'copy': return copyTask(size ?? 20);
    case 'order': return orderTask(size ?? 60);
    case 'arith': return arithTask(size ?? 3);
    case 'xml': return xmlTask(size ?? 60);
    default: throw new Error(`unknown task '${name}'; the tasks are ${taskNames.join(', ')}`);
  }
}
