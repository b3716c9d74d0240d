import { ArgumentError } from '../core/index.js';
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

/** Each task's default length parameter: T, or the digits of arith. */
export const taskSizes: Readonly<Record<TaskName, number>> = { adding: 50, copy: 20, order: 60, arith: 3, xml: 60 };

const makers: Record<TaskName, (size: number) => Task> = {
  adding: addingTask,
  copy: copyTask,
  order: orderTask,
  arith: arithTask,
  xml: xmlTask,
};

/** A task by name; `size` is its length parameter (T, or the digits of arith), its default when absent. */
export function makeTask(name: string, size?: number): Task {
  if (!(taskNames as readonly string[]).includes(name))
    throw new ArgumentError('makeTask', 'name', `one of ${taskNames.join(', ')}`, name);
  return makers[name as TaskName](size ?? taskSizes[name as TaskName]);
}
export {
  spellNumber,
  spellWords,
  spellSplit,
  spellBatch,
  spellMajority,
  SPELL_INPUT,
  type SpellBatch,
} from './spell.js';
