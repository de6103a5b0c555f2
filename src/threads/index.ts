export { threads, type ThreadsOptions } from '../runtime/threads.js';
export { WorkerCrashedError } from '../transports/threads/errors.js';
