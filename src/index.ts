export { chan, type Channel, type ChannelOptions } from './core/chan.js';
export { fixed, dropping, sliding, type BufferSpec } from './core/buffer.js';
export type { Reader, Writer, OpOptions, TryReadResult, TryWriteResult } from './core/ends.js';
export { alt, priAlt, input, output, timeout, skip, type Guard, type AltResult, type GuardOptions } from './core/alt.js';
export { process, par, seq, spawn, type ProcessInstance, type ProcessFactory, type Runnable } from './core/process.js';
export {
  CspflowError,
  PoisonError,
  RetiredError,
  DeadlockError,
  PendingLimitError,
  ProcessError,
  isTermination,
  type BlockedProcess,
  type RetiredWhy,
  type Site,
} from './core/errors.js';
export { type Scheduler, realScheduler } from './core/scheduler.js';
export { useScheduler } from './core/runtime.js';
export { type Codec, CodecError, msgpackCodec, cloneCodec, jsonCodec } from './codec/index.js';
export { ProtocolError, FrameTooLargeError } from './remote/errors.js';
export { network, type Network, type NetworkBuilder, type ChannelDecl, type NetworkChannelOptions, type SpawnOptions } from './runtime/network.js';
export { run, start, type RunOptions, type RunHandle } from './runtime/run.js';
export { local } from './runtime/local.js';
export type { Runtime, Execution } from './runtime/runtime.js';
