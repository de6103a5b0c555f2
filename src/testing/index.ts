export { TestScheduler, scheduleFromString, type TestSchedulerOptions, type TimerPolicy, type StepResult } from './test-scheduler.js';
export {
  runScheduled,
  ScheduleFailure,
  StalledError,
  StepLimitError,
  type RunOptions,
  type ScheduledRun,
  type ScheduledFault,
} from './run-scheduled.js';
export { schedulerArb, type SchedulerArbOptions } from './scheduler-arb.js';
export { encodeChoices, decodeChoices, seededChoices, mulberry32, ScriptedChoices, type ChoiceSource } from './choices.js';
export { traceText, labels, labelCounts, type TraceEntry, type TraceTextOptions } from './trace.js';
export { seededParams } from './params.js';
export { PeerMissingError } from './fast-check.js';
export {
  channelKind,
  channelKindArb,
  bufferSpecArb,
  messagesArb,
  writerScriptsArb,
  type ChannelKind,
  type ChannelKindName,
  type ChannelKindArbOptions,
  type Tagged,
} from './channel-arbs.js';
export {
  networkArb,
  buildNetwork,
  expectedOutput,
  type NetworkSpec,
  type NetworkArbOptions,
  type BuiltNetwork,
  type FaultTarget,
} from './network-arbs.js';
export { faultPlanArb, scheduledFaults, InjectedFault, type Fault, type FaultKind, type FaultPlan, type FaultPlanArbOptions } from './fault-plans.js';
export { ChannelModel, channelCommandsArb, runChannelModel, type RealChannel, type Outcome } from './channel-model.js';
export {
  conformanceCases,
  BUFFER_KINDS,
  bufferKind,
  type BufferKind,
  type ConformanceCase,
  type ConformanceTransport,
} from './conformance/index.js';
export { startNatsServer, startNatsCluster, freePort, NatsServerError, type NatsServer, type NatsCluster, type NatsServerOptions } from './nats-server.js';
export { startRemoteHome, type RemoteHome, type RemoteChannelOptions } from './remote-home.js';
export { SimNetwork, SimWire, type SimNetworkOptions, type SimDelivery, type SimFate } from './sim/network.js';
export { simConnect, simHost, simulated, registryOf, type SimulatedOptions } from './sim/hosts.js';
export { simChannels, simHomes, type SimChannels, type SimHomes } from './sim/channels.js';
