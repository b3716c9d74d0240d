// Workspaces: the buffers a fused recurrent pass keeps for backward, allocated once per
// (T, B, dtype) and reused batch after batch, so that no time loop ever allocates.
//
// A workspace is claimed while a tape entry still needs it (from a recorded forward
// until that entry's backward has run or its tape is reset); a forward that finds its
// workspace claimed gets a second one instead of overwriting saved activations. The
// generation counter, bumped on every use, lets a backward notice that its workspace
// was reused meanwhile (by an unrecorded forward, say).
import type { DType } from '../../alloc.js';
import { getBackend, type BackendName } from '../../backend.js';
import type { Releasable } from '../../tape.js';

export abstract class Workspace implements Releasable {
  claimed = false;
  generation = 0;
  /** The backend the workspace's buffers were made for (a wasm workspace lives in the wasm heap). */
  readonly backend: BackendName = getBackend();

  constructor(readonly steps: number, readonly batch: number, readonly dtype: DType) {}

  release(): void {
    this.claimed = false;
  }

  /** Throw if the workspace was claimed by another forward since `generation`. */
  checkGeneration(generation: number, op: string): void {
    if (this.generation !== generation) {
      throw new Error(
        `${op}: this entry's saved activations were overwritten by a later forward of the same layer; ` +
        'run backward before reusing the layer, or reset the tape and run forward again',
      );
    }
  }
}

export class WorkspacePool<W extends Workspace> {
  private items: W[] = [];

  constructor(private readonly make: (steps: number, batch: number, dtype: DType) => W) {}

  /** A free workspace of this shape (made if there is none); claimed when `claim` is set. */
  acquire(steps: number, batch: number, dtype: DType, claim: boolean): W {
    const backend = getBackend();
    let ws = this.items.find((w) => !w.claimed && w.steps === steps && w.batch === batch && w.dtype === dtype && w.backend === backend);
    if (ws === undefined) {
      // Free workspaces of other shapes (or backends) are dropped: a new batch shape replaces the old one.
      this.items = this.items.filter((w) => w.claimed);
      ws = this.make(steps, batch, dtype);
      this.items.push(ws);
    }
    ws.claimed = claim;
    ws.generation++;
    return ws;
  }

  /** How many workspaces the pool holds (for specs). */
  get size(): number {
    return this.items.length;
  }
}
