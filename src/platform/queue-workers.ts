import type { Jobs } from './jobs.ts';

/** A queue a capability owns, and what is done with each of its jobs. */
export interface QueueWorker {
  queue: string;
  start(jobs: Jobs): Promise<void>;
}

/** One queue's worker, typed by the data its jobs carry. */
export function queueWorker<T extends object>(
  queue: string,
  handle: (data: T) => Promise<unknown>,
): QueueWorker {
  return {
    queue,
    start: (jobs) =>
      jobs.work<T>(queue, async (data) => {
        await handle(data);
      }),
  };
}

const started = new WeakMap<Jobs, Set<string>>();

/**
 * Declares each queue and works it, once per job runner: registering a capability's jobs again
 * over the same runner must not start a second worker taking the same queue's jobs.
 */
export async function startQueueWorkers(jobs: Jobs, workers: readonly QueueWorker[]): Promise<void> {
  const queues = started.get(jobs) ?? new Set<string>();
  started.set(jobs, queues);
  for (const worker of workers) {
    if (queues.has(worker.queue)) continue;
    queues.add(worker.queue);
    await jobs.define(worker.queue);
    await worker.start(jobs);
  }
}
