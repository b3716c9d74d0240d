// Progress for long commands, shown one way everywhere: on a terminal a bar redrawn in
// place with the loss, the rate and the time left; elsewhere (a pipe, a log file, CI) a
// plain line every few seconds.

export interface ProgressOptions {
  /** Where to write (default process.stderr, so that stdout stays the command's output). */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal. */
  every?: number;
}

export class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly every: number;

  /** total: steps to do (or 0 when only a time budget bounds the work); seconds: that budget. */
  constructor(
    readonly label: string,
    readonly total: number,
    readonly seconds: number,
    options: ProgressOptions = {},
  ) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.every = (options.every ?? 5) * 1000;
  }

  /** Report `done` units (steps) with the current loss, or a short text. */
  update(done: number, loss: number | string, force = false): void {
    const now = Date.now(),
      elapsed = (now - this.started) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const byCount = this.total > 0 ? done / this.total : 0,
      byTime = this.seconds > 0 ? elapsed / this.seconds : 0;
    const fraction = Math.min(1, Math.max(byCount, byTime));
    const left = fraction > 0 ? elapsed * (1 / fraction - 1) : NaN;
    const detail = typeof loss === 'number' ? `loss ${loss.toFixed(4)}  ${rate.toFixed(1)} steps/s` : loss;
    const text = `${this.label} ${done}${this.total > 0 ? `/${this.total}` : ''}${typeof loss === 'number' ? ' steps' : ''}  ${detail}  ETA ${clock(left)}`;
    if (this.tty) {
      const width = 24,
        filled = Math.round(fraction * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
    } else if (force || now - this.lastLine >= this.every) {
      this.stream.write(`${text}\n`);
      this.lastLine = now;
    }
  }

  /** Leave the bar's line before other output. */
  done(): void {
    if (this.tty) this.stream.write('\n');
  }
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
