// One interface for everything that holds parameters: a recurrent layer, Linear, Embedding,
// and every model. A module describes its parameters once, as mappings to PyTorch's names
// and layouts (stateDict.ts); the rest follows from them:
//
//   parameters()        the tensors it trains, each once
//   stateDict()         its parameters under PyTorch's names, as fresh arrays
//   loadStateDict(d)    the reverse, strict by default
//   summary()           each parameter's name, shape and count, and the total, as Keras's
//                       model.summary() and torchinfo print them
import type { Buf, Tensor } from '../core/index.js';
import {
  loadStateDictInto,
  stateDictOf,
  type LoadOptions,
  type LoadReport,
  type StateDict,
  type StateMapping,
  type StateModule,
} from './stateDict.js';

export abstract class Module implements StateModule {
  /** The parameters as mappings to PyTorch's names, each name after `prefix`. */
  abstract stateMappings(prefix?: string): StateMapping[];

  /** What errors call this module: its name, or its class. */
  protected abstract moduleName(): string;

  /** The tensors the module trains, each once, in the order of its state dict. */
  parameters(): Tensor[] {
    return [...new Set(this.stateMappings().map((m) => m.ours))];
  }

  /** Every parameter under PyTorch's names and layouts, as fresh arrays. */
  stateDict(): Record<string, { shape: number[]; data: Buf }> {
    return stateDictOf(this);
  }

  /** Load a PyTorch-named state dict: strict by default (missing and unexpected keys are errors, named). */
  loadStateDict(dict: StateDict, options: LoadOptions = {}): LoadReport {
    return loadStateDictInto(`${this.moduleName()}.loadStateDict`, this, dict, options);
  }

  /** Each parameter's name, shape and count under PyTorch's names, and the total; String() of it is a table. */
  summary(): ParameterSummary {
    return new ParameterSummary(
      this.moduleName(),
      this.stateMappings().map((m) => ({ name: m.name, shape: [...m.shape], count: m.index.length })),
    );
  }
}

/** One row of a summary: a parameter as PyTorch names and shapes it, and how many numbers it holds. */
export interface SummaryRow {
  name: string;
  shape: number[];
  count: number;
}

export class ParameterSummary {
  /** How many numbers the module trains. */
  readonly total: number;

  constructor(
    readonly module: string,
    readonly rows: readonly SummaryRow[],
  ) {
    this.total = rows.reduce((n, r) => n + r.count, 0);
  }

  /** The table: name, shape and count a row, then the total. */
  toString(): string {
    const count = (n: number) => n.toLocaleString('en-US');
    const lines = this.rows.map((r) => [r.name, `[${r.shape.join(', ')}]`, count(r.count)]);
    const head = ['parameter', 'shape', 'count'],
      foot = ['total', '', count(this.total)];
    const width = [0, 1, 2].map((c) => Math.max(...[head, ...lines, foot].map((l) => l[c].length)));
    const line = (l: string[]) =>
      `${l[0].padEnd(width[0])}  ${l[1].padEnd(width[1])}  ${l[2].padStart(width[2])}`.trimEnd();
    const rule = '-'.repeat(width[0] + width[1] + width[2] + 4);
    return [this.module, line(head), rule, ...lines.map(line), rule, line(foot)].join('\n');
  }
}
