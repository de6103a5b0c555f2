export { threads, type ThreadsOptions, type ThreadsRuntime } from '../runtime/threads.js';
export { WorkerCrashedError, RuntimeClosedError, WorkerRuntimeError } from '../transports/threads/errors.js';
