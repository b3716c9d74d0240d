// What every model shares: its parameters in one store, and a state dict made of its parts'
// with PyTorch's module prefixes (`embedding.weight`, `rnn.weight_ih_l0`, `head.weight`), so
// that a PyTorch module with the same attribute names loads it as it is, and back.
import { ArgumentError, type ParamStore } from '../core/index.js';
import { Module, type StateMapping, type StateModule } from '../cells/index.js';

export abstract class Model extends Module {
  abstract readonly store: ParamStore;

  /** The parts whose parameters make the state dict, by the attribute name a PyTorch module would give them. */
  protected abstract parts(): [string, StateModule | null][];

  stateMappings(prefix = ''): StateMapping[] {
    return this.parts().flatMap(([name, part]) => (part === null ? [] : part.stateMappings(`${prefix}${name}.`)));
  }

  protected moduleName(): string {
    return this.constructor.name;
  }
}

/** What a model sets in its layers itself: given in `layer` anyway (from JavaScript, past the types), it is an error. */
const setByTheModel = {
  inputSize: 'the model sets it from its input or embedding',
  store: "the model's own store holds every part",
  dtype: "give it as the model's dtype",
  name: 'the model names its parts',
};

/**
 * Refuse layer options the model sets itself or cannot honour, so that none is silently
 * ignored: `cannot` maps an option to why this model has no use for it.
 */
export function refuseLayerOptions(where: string, layer: object, cannot: Record<string, string> = {}): void {
  for (const [key, why] of Object.entries({ ...setByTheModel, ...cannot })) {
    const value = (layer as Record<string, unknown>)[key];
    if (value !== undefined) throw new ArgumentError(where, `layer.${key}`, `left out (${why})`, value);
  }
}

/** Why a model that generates, or predicts the next token, reads one way only. */
export const oneWayOnly = {
  bidirectional: 'it predicts each next symbol from the ones before it, and a backward reader would see the answer',
  merge: 'it joins the two directions of a bidirectional layer, and this model reads one way only',
};

/**
 * How wide a model embeds its symbols: as given, else as wide as the hidden state for the MUT
 * cells (MUT1 and MUT2 add x_t to the state, so their input must be hidden-size), else `fallback`.
 */
export function embeddingWidth(
  layer: { cell: string; hiddenSize: number },
  given: number | undefined,
  fallback: number,
): number {
  return given ?? (layer.cell.startsWith('mut') ? layer.hiddenSize : fallback);
}
