// Loading the root entry adds the exit report (src/runtime/exit-report.ts): no silent exit with operations pending.
import './runtime/exit-report.js';
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
export { type BreathingOptions, type Scheduler, breathingScheduler, realScheduler } from './core/scheduler.js';
export { useScheduler } from './core/runtime.js';
export { type Codec, CodecError, msgpackCodec, cloneCodec, jsonCodec, transfer, TransferError, type Movable } from './codec/index.js';
export { ProtocolError, FrameTooLargeError, SpawnArgumentError, ModuleLoadError, ProcessClashError } from './remote/errors.js';
export { isWorker } from './remote/worker-mark.js';
export { network, type Network, type NetworkBuilder, type ChannelDecl, type NetworkChannelOptions, type SpawnOptions } from './runtime/network.js';
export { run, start, type RunOptions, type RunHandle } from './runtime/run.js';
export { local } from './runtime/local.js';
export {
  map,
  filter,
  scan,
  take,
  batch,
  unbatch,
  window,
  pipeline,
  pipe,
  merge,
  broadcast,
  tee,
  split,
  partition,
  zip,
  after,
  ticker,
  fromIterable,
  collect,
  toReadable,
  fromReadable,
  type Stage,
  type OperatorOptions,
  type OutputOptions,
  type IntoOptions,
  type PipelineOutputOptions,
  type PipelineIntoOptions,
  type Concurrency,
  type PipelineOptions,
  type BatchOptions,
  type BatchStageOptions,
  type BroadcastOptions,
  type TeeOptions,
  type SplitOptions,
  type PartitionOptions,
  type Zipped,
  type TimerOptions,
  type ToReadableOptions,
  type Laggards,
} from './ops/index.js';
export type { Runtime, Execution, ExecutionContext, RuntimeEvent } from './runtime/runtime.js';
export type { CspflowEvent, CspflowEventType, ChannelKind, ErrorSummary, ProcessEnding, WaitFor, DeadlockedProcess } from './observe/events.js';
export {
  snapshotOf,
  type Snapshot,
  type ChannelSnapshot,
  type ProcessSnapshot,
  type ProcessState,
  type StageSnapshot,
  type WorkerSnapshot,
  type DeadlockSnapshot,
} from './observe/snapshot.js';
export type { EventsOptions } from './observe/run-tracker.js';
export { watch, type WatchOptions } from './observe/watch.js';
export { networkGraph, type NetworkGraph, type GraphProcess, type GraphChannel } from './observe/graph.js';
export { toMermaid, toDot, type PictureOptions } from './observe/picture.js';
export type { InspectOptions } from './observe/inspect-options.js';
export type { Inspector } from './observe/inspect-server.js';
export { NotObservedError, InspectorError } from './observe/errors.js';
