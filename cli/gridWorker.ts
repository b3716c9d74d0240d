// A worker thread of `rnnlab compare` and `rnnlab span`: it trains the jobs it is sent, one
// at a time, on the backend it was started with, and posts back its step every 50 steps
// and each result.
import { parentPort, workerData } from 'node:worker_threads';
import { setBackend, type BackendName } from '../index.js';
import { runJob, type Job } from '../experiments/index.js';

setBackend((workerData as { backend: BackendName }).backend);
parentPort!.on('message', async (job: Job) => {
  const result = await runJob(job, (step) => {
    if (step % 50 === 0) parentPort!.postMessage({ kind: 'step', key: job.key, step });
  });
  parentPort!.postMessage({ kind: 'result', result });
});
