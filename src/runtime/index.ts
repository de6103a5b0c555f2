export { network, type Network, type NetworkBuilder, type ChannelDecl, type NetworkChannelOptions, type SpawnOptions } from './network.js';
export { run, start, type RunOptions, type RunHandle } from './run.js';
export { local } from './local.js';
export { threads, type ThreadsOptions } from './threads.js';
export type { Runtime, Execution } from './runtime.js';
export { type Codec, CodecError, msgpackCodec, cloneCodec, jsonCodec } from '../codec/index.js';
export { WorkerCrashedError } from '../transports/threads/errors.js';
export { startRemoteHome, type RemoteHome, type RemoteChannelOptions } from '../transports/threads/remote-home.js';
