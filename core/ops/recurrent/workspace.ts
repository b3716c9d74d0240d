// Workspaces: the buffers a fused recurrent pass keeps for backward, allocated once per
// (T, B, dtype) and reused batch after batch, so that no time loop ever allocates.
//
// A workspace is claimed while a tape entry still needs it (from a recorded forward
// until that entry's backward has run or its tape is reset); a forward that finds its
// workspace claimed gets a second one instead of overwriting saved activations. The
// generation counter, bumped on every use, lets a backward notice that its workspace
// was reused meanwhile (by an unrecorded forward, say).
import { allocPinned, type DType } from '../../alloc.js';
import { getBackend, type BackendName } from '../../backend.js';
import { freeBuffer } from '../../scope.js';
import type { Releasable } from '../../tape.js';
import type { Buf } from '../../../kernels/js/types.js';

export abstract class Workspace implements Releasable {
  claimed = false;
  generation = 0;
  /** The backend the workspace's buffers were made for (a wasm workspace lives in the wasm heap). */
  readonly backend: BackendName = getBackend();

  /** The buffers made for this workspace, freed with it. */
  private readonly owned: Buf[] = [];

  constructor(
    readonly steps: number,
    readonly batch: number,
    readonly dtype: DType,
  ) {}

  /** A buffer for the workspace's life (long-lived, so pinned), freed when the workspace is dropped. */
  protected pinned(dtype: 'f32', length: number): Float32Array;
  protected pinned(dtype: DType, length: number): Buf;
  protected pinned(dtype: DType, length: number): Buf {
    const buf = allocPinned(dtype, length, true);
    this.owned.push(buf);
    return buf;
  }

  /** Free every buffer of the workspace now: its pool dropped it, and nothing reads it again. */
  free(): void {
    for (const buf of this.owned) freeBuffer(buf);
    this.owned.length = 0;
  }

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
    let ws = this.items.find(
      (w) => !w.claimed && w.steps === steps && w.batch === batch && w.dtype === dtype && w.backend === backend,
    );
    if (ws === undefined) {
      // Free workspaces of other shapes (or backends) are dropped, their memory freed at once: a
      // new batch shape replaces the old one. (No tape entry holds an unclaimed workspace, and
      // a pass's outputs are copies, never views of it.)
      for (const w of this.items) if (!w.claimed) w.free();
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
