// Runs a grid of training jobs (experiments/compare.ts) on worker threads, each job on one
// thread: the seed-1 learning-rate sweep first, then each group's other seeds as soon as its
// sweep is done. SIGINT, SIGTERM and SIGHUP stop it: the running jobs are dropped and the
// finished ones kept. A job's result does not depend on the thread or the order.
import { Worker } from 'node:worker_threads';
import {
  bestRate,
  jobCount,
  seedJobs,
  sweepJobs,
  type GridOptions,
  type Job,
  type JobResult,
} from '../experiments/index.js';
import { getBackend, type Metric } from '../index.js';

export interface GridOutcome {
  results: JobResult[];
  /** The signal that stopped the grid, or null when every job finished. */
  interrupted: string | null;
  /** Jobs the grid would have run in all. */
  total: number;
  /** A job's error, which stopped the grid (the finished jobs are kept). */
  error?: Error;
}

/** What a worker posts: a running job's step, or a finished job's result. */
export type WorkerMessage = { kind: 'step'; key: string; step: number } | { kind: 'result'; result: JobResult };

export interface GridListener {
  /** Steps done over all jobs, finished and running. */
  onSteps(done: number): void;
  onResult(r: JobResult, done: number, total: number): void;
}

export function runGrid(o: GridOptions, metric: Metric, workers: number, listener: GridListener): Promise<GridOutcome> {
  const queue: Job[] = sweepJobs(o);
  const sweepsPerGroup = o.lrs.length;
  const total = jobCount(o);
  const results: JobResult[] = [];
  const running = new Map<string, number>();
  const steps = () => results.length * o.steps + [...running.values()].reduce((a, b) => a + b, 0);
  const url = new URL('./gridWorker.js', import.meta.url);
  return new Promise((resolve) => {
    const pool: Worker[] = [];
    let busy = 0,
      finished = false;
    const finish = (interrupted: string | null, error?: Error) => {
      if (finished) return;
      finished = true;
      for (const [name, handler] of handlers) process.off(name, handler);
      void Promise.all(pool.map((w) => w.terminate())).then(() => resolve({ results, interrupted, total, error }));
    };
    const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((name) => [name, () => finish(name)] as const);
    for (const [name, handler] of handlers) process.on(name, handler);
    const idle: Worker[] = [];
    // Give every idle worker a job; when none is left and none is running, the grid is done.
    const dispatch = () => {
      while (!finished && idle.length > 0 && queue.length > 0) {
        busy++;
        idle.pop()!.postMessage(queue.shift());
      }
      if (queue.length === 0 && busy === 0) finish(null);
    };
    const count = Math.max(1, Math.min(workers, queue.length));
    for (let k = 0; k < count; k++) {
      const worker = new Worker(url, { workerData: { backend: getBackend() } });
      pool.push(worker);
      idle.push(worker);
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'step') {
          running.set(m.key, m.step);
          listener.onSteps(steps());
          return;
        }
        const r = m.result;
        busy--;
        running.delete(r.key);
        results.push(r);
        const sweep = results.filter((x) => x.cell === r.cell && x.seqLen === r.seqLen && x.seed === 1);
        if (r.seed === 1 && sweep.length === sweepsPerGroup)
          queue.push(...seedJobs(o, r.cell, r.seqLen, bestRate(sweep, metric)));
        listener.onResult(r, results.length, total);
        idle.push(worker);
        dispatch();
      });
      worker.on('error', (err) => finish(null, err));
    }
    dispatch();
  });
}
