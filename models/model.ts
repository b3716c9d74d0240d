// What every model shares: its parameters in one store, and a state dict made of its parts'
// with PyTorch's module prefixes (`embedding.weight`, `rnn.weight_ih_l0`, `head.weight`), so
// that a PyTorch module with the same attribute names loads it as it is, and back.
import type { Buf, ParamStore } from '../core/index.js';
import { loadStateDictInto, stateDictOf, type LoadOptions, type LoadReport, type StateDict, type StateMapping, type StateModule } from '../cells/index.js';

export abstract class Model implements StateModule {
  abstract readonly store: ParamStore;

  /** The parts whose parameters make the state dict, by the attribute name a PyTorch module would give them. */
  protected abstract parts(): [string, StateModule | null][];

  stateMappings(prefix = ''): StateMapping[] {
    return this.parts().flatMap(([name, part]) => (part === null ? [] : part.stateMappings(`${prefix}${name}.`)));
  }

  /** Every parameter under PyTorch's prefixed names and layouts, as fresh arrays. */
  stateDict(): Record<string, { shape: number[]; data: Buf }> {
    return stateDictOf(this);
  }

  /** Load a PyTorch-named state dict: strict by default (missing and unexpected keys are errors, named). */
  loadStateDict(dict: StateDict, options: LoadOptions = {}): LoadReport {
    return loadStateDictInto(`${this.constructor.name}.loadStateDict`, this, dict, options);
  }
}
