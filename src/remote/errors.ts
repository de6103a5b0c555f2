/** Errors of the remote layer: a message that breaks the protocol, and a value too big to cross. */
import { CspflowError } from '../core/errors.js';

/** The parts of a malformed message that could still be read. */
export interface MessageAbout {
  readonly kind: string | null;
  readonly op: number | null;
  readonly end: number | null;
  readonly channel: number | null;
  readonly pid: number | null;
}

/**
 * A message from a peer broke the protocol: bytes that do not decode, a kind nobody knows, a field
 * of the wrong type, an id that names nothing here, or a peer speaking another version. The link
 * that received it reports it and keeps serving; an operation it named fails with it.
 */
export class ProtocolError extends CspflowError {
  override readonly name = 'ProtocolError';
  readonly code = 'ERR_CSPFLOW_PROTOCOL';
  /** The peer the message came from. */
  readonly peer: string;
  /** What was wrong, in a few words (also in the message). */
  readonly detail: string;
  /** What could still be read of a malformed message: its kind and the ids it names. */
  about: MessageAbout | null = null;

  constructor(peer: string, detail: string, cause?: unknown) {
    super(`protocol error in a message from peer "${peer}": ${detail}`, cause === undefined ? undefined : { cause });
    this.peer = peer;
    this.detail = detail;
  }
}

/**
 * A value (or a message) cannot cross a link because it is bigger than the link's largest message
 * (`maxMessageBytes`, e.g. a NATS server's max_payload). Nothing was sent: send smaller values, or
 * raise the limit on the transport.
 */
export class FrameTooLargeError extends CspflowError {
  override readonly name = 'FrameTooLargeError';
  readonly code = 'ERR_CSPFLOW_FRAME_TOO_LARGE';
  /** The channel the value was written to, when it was a channel value. */
  readonly channel: string | undefined;
  /** How many bytes it needs, and how many a message may have. */
  readonly bytes: number;
  readonly limit: number;

  constructor(what: string, bytes: number, limit: number, channel?: string) {
    const on = channel === undefined ? '' : ` on channel "${channel}"`;
    super(`${what}${on} needs ${bytes} bytes, more than the ${limit} a message may carry on this link; nothing was sent (send smaller values or raise the transport's limit)`);
    this.channel = channel;
    this.bytes = bytes;
    this.limit = limit;
  }
}

/**
 * An argument of a process placed in another thread or host cannot go there: a closure, a core
 * channel's end made with chan(), a value the spawn codec refuses. Found when the network is
 * placed, before any worker starts or anything is posted.
 */
export class SpawnArgumentError extends CspflowError {
  override readonly name = 'SpawnArgumentError';
  readonly code = 'ERR_CSPFLOW_SPAWN_ARGUMENT';
  /** The process, by its registered name. */
  readonly process: string;
  /** The argument's position, from 1. */
  readonly argument: number;

  constructor(process: string, argument: number, problem: string, fix: string, cause?: unknown) {
    super(`process "${process}" runs in another thread or host, but its argument ${argument} cannot go there: ${problem}. ${fix}`, cause === undefined ? undefined : { cause });
    this.process = process;
    this.argument = argument;
  }
}

/**
 * A module a worker was started with could not be loaded: it is not found, has a syntax error,
 * throws at its top level, or is TypeScript without tsx installed. A configuration error, not a
 * crash: `module` names it, `line` is where Node placed the error in it, when it says.
 */
export class ModuleLoadError extends CspflowError {
  override readonly name = 'ModuleLoadError';
  readonly code = 'ERR_CSPFLOW_MODULE_LOAD';
  readonly module: string;
  readonly line: number | undefined;

  constructor(module: string, line: number | undefined, detail: string, cause?: unknown) {
    super(`a worker could not load module ${module}${line === undefined ? '' : ` (line ${line})`}: ${detail}`, cause === undefined ? undefined : { cause });
    this.module = module;
    this.line = line;
  }
}

/**
 * One process name, two definitions: two different bodies under one name in one network, or a
 * worker whose modules registered the name from another file than the one the network's process
 * comes from — the worker would run the other body. Rename one (names are global: prefix them).
 */
export class ProcessClashError extends CspflowError {
  override readonly name = 'ProcessClashError';
  readonly code = 'ERR_CSPFLOW_PROCESS_CLASH';
  readonly process: string;
  /** The files the two definitions come from. */
  readonly sites: readonly [string, string];

  constructor(process: string, first: string, second: string, where: string) {
    super(
      `process name "${process}" has two definitions ${where}: one in ${first}, another in ${second}. ` +
        'A name must stand for one body everywhere (workers find processes by name): rename one, e.g. with a prefix of its module.',
    );
    this.process = process;
    this.sites = [first, second];
  }
}
