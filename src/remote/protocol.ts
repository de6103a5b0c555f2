/**
 * The remote layer's protocol, in one place: every message two stations exchange over a link, as
 * a typed union, and `parseMessage`, which checks a decoded message's shape on receipt. Nothing
 * else reads a message's fields without it having been parsed here.
 *
 * Ids are link-scoped numbers. The side that makes a thing numbers it, so it can use it at once
 * (optimistic creation): ends and channels made at the request of the proxies' side (client) are
 * > 0, those made by the home's side to hand to a process it spawns are < 0; process ids (pid)
 * are > 0 when chosen where the process runs, < 0 when chosen by the side that spawned it.
 * `op` numbers an operation that wants an answer (> 0); 0 on a write made on credit.
 *
 * Channel values travel as opaque bytes encoded by the channel's codec (`data`); a home that
 * neither reads nor writes them never decodes them. Process arguments, poison reasons and error
 * fields travel as bytes encoded by the station's value codec (structured clone by default).
 *
 * On the wire a message is a list — its kind's code, then its fields in the order of its shape
 * (`encodeMessage`) — which `parseMessage` turns back into the named form.
 *
 * Invariants:
 * - the first message on a link, each way, is `hello` with the sender's version and peer id;
 * - a message's kind says which side handles it: requests (to the home of a channel), answers
 *   and notices (to the proxies' side), process messages (to the station).
 */
import { ProtocolError } from './errors.js';

export const PROTOCOL_VERSION = 4;

export type Side = 'reader' | 'writer';

/** An error or another value (a poison reason, a cause) as it crosses; see wire-errors.ts. */
export type WireValue =
  | {
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      readonly stack: string | null;
      readonly cause: WireValue | null;
      /** A PoisonError's reason (itself a value or an error). */
      readonly reason: WireValue | null;
      /** The error's own fields other than name/message/stack/cause/reason, encoded by the value codec. */
      readonly fields: Uint8Array;
    }
  /** A value the value codec carries. */
  | { readonly kind: 'value'; readonly data: Uint8Array }
  /** A value it cannot carry, as text. */
  | { readonly kind: 'text'; readonly text: string };

export interface BufferWire {
  readonly kind: 'fixed' | 'dropping' | 'sliding';
  readonly capacity: number;
}

export interface OriginWire {
  readonly channel: string;
  readonly process: string | null;
}

/** How a remote process lets go of an end. `token` names a poison reason its sender keeps. */
export type EndingWire = { readonly kind: 'retire' } | { readonly kind: 'poison'; readonly reason: WireValue; readonly origin: OriginWire | null; readonly token: number };

export type GuardWire =
  | { readonly kind: 'input'; readonly end: number }
  | { readonly kind: 'output'; readonly end: number; readonly data: Uint8Array }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'skip' }
  /** A guard with `when: false`, kept so indices stay those of the caller's alt. */
  | { readonly kind: 'off' };

/** A process argument as it crosses. */
export type ArgWire =
  | { readonly kind: 'value'; readonly data: Uint8Array }
  /** An end of a channel living at the spawner (already held there for this process): a proxy. */
  | { readonly kind: 'proxy'; readonly side: Side; readonly end: number; readonly channel: number; readonly name: string; readonly codec: string }
  /** An end the spawner opened on a channel living at the receiver (`open` sent before): a core end there. */
  | { readonly kind: 'home-end'; readonly end: number }
  /**
   * An end of a channel living at a third station, `via`, reached over a direct route: the spawner
   * opened `placeholder` there (on its own link to `via`, numbering the channel `channel`) so the
   * side counts from the start; the receiver adopts it (`adopt`) and its process gets a proxy on
   * the route. `channel` tells ends of one channel apart from ends of another.
   */
  | { readonly kind: 'routed'; readonly side: Side; readonly via: string; readonly placeholder: number; readonly channel: number; readonly name: string; readonly codec: string }
  | { readonly kind: 'list'; readonly items: readonly ArgWire[] };

export type ChannelEvent = 'poisoned' | 'readers-retired' | 'writers-retired' | 'drained' | 'refused';

// ---- the link ---------------------------------------------------------------------------------
export interface Hello {
  readonly kind: 'hello';
  readonly version: number;
  readonly peer: string;
}

/**
 * The values moved beside the batch (`data`) of the next message (codec/transfer.ts): each its
 * position, kind and bytes — inline on a wire that copies, null on one that moves (the buffer is
 * then the next of the wire message's transfer list).
 */
export interface Attach {
  readonly kind: 'attach';
  readonly moved: readonly MovedWire[];
}
export type MovedWire = readonly [at: number, kind: string, bytes: Uint8Array | null];

// ---- requests: to the home of a channel -------------------------------------------------------
/** Make a channel living at the receiver, numbered `channel` by the sender. */
export interface MakeChannel {
  readonly kind: 'make-channel';
  readonly channel: number;
  readonly name: string;
  readonly buffer: BufferWire | null;
  readonly maxPending: number;
  readonly codec: string;
}
/** Make an end on `channel`, numbered `end` by the sender; answered by `opened` or `end-failed`. */
export interface Open {
  readonly kind: 'open';
  readonly channel: number;
  readonly end: number;
  readonly side: Side;
}
/**
 * Make an end on the channel of end `placeholder`, which peer `holder` opened here, numbered `end`
 * by the sender, in place of the placeholder (which then retires; a retire or poison sent for it
 * later reaches this end). `channel` numbers that channel on this link (chosen by the sender, as
 * in `make-channel`; the same id again for another end of the same channel). Answered by `opened`
 * or `end-failed`, as `open` is.
 */
export interface Adopt {
  readonly kind: 'adopt';
  readonly channel: number;
  readonly end: number;
  readonly side: Side;
  readonly holder: string;
  readonly placeholder: number;
}
/**
 * read (max 0) or readMany(max); answered by `values` (one or more) or `failed`. `ahead` > 0 (with
 * max 0): the reader would read up to that many more values ahead; the answer then carries the
 * value read followed by the values lent to it (read-ahead.ts), which stay in the buffer until
 * reported in `taken`.
 */
export interface Read {
  readonly kind: 'read';
  readonly op: number;
  readonly end: number;
  readonly max: number;
  readonly abortable: boolean;
  readonly ahead: number;
}
/** Values encoded as one batch; op 0: written on credit, no answer. */
export interface Write {
  readonly kind: 'write';
  readonly op: number;
  readonly end: number;
  readonly data: Uint8Array;
  readonly abortable: boolean;
}
/** Abort operation `op`; loses if it has already committed. */
export interface Cancel {
  readonly kind: 'cancel';
  readonly op: number;
}
export interface Retire {
  readonly kind: 'retire';
  readonly end: number;
}
export interface Poison {
  readonly kind: 'poison';
  readonly end: number;
  readonly reason: WireValue;
  readonly token: number;
}
/** Process `pid` (running at the sender) holds `end`. */
export interface Hold {
  readonly kind: 'hold';
  readonly end: number;
  readonly pid: number;
  readonly name: string;
  readonly keeper: boolean;
}
/** Process `pid` lets go of `end`. */
export interface Release {
  readonly kind: 'release';
  readonly end: number;
  readonly pid: number;
  readonly ending: EndingWire;
}
/** A whole alt whose channel guards all live at the receiver; answered by `alt-done` or `failed`. */
export interface Alt {
  readonly kind: 'alt';
  readonly op: number;
  readonly priority: boolean;
  readonly guards: readonly GuardWire[];
  readonly abortable: boolean;
}
/**
 * The guards of an alt spread over several places that live at the receiver (the others `off`),
 * offered tentatively (docs/decisions/0014-alt-across-homes.md); `positions[i]` is guard i's place
 * in the alt's order. The arbiter is named by the sender's station and `seq`. The receiver's first
 * answer is `alt-claim` or `alt-idle`; it ends with `alt-done` or `failed` (when a guard it holds
 * wins), or with a `cancel` (the alt committed elsewhere), which is not answered.
 */
export interface AltOffer {
  readonly kind: 'alt-offer';
  readonly op: number;
  readonly station: string;
  readonly seq: number;
  readonly guards: readonly GuardWire[];
  readonly positions: readonly number[];
}
/** The arbiter's answer to claim `claim` of offer `op`: the lock is the claimant's, or the alt is over. */
export interface AltGrant {
  readonly kind: 'alt-grant';
  readonly op: number;
  readonly claim: number;
  readonly granted: boolean;
}
/** Answer to `revoke`: the credit the writer had not used, given back. */
export interface ReturnCredit {
  readonly kind: 'return-credit';
  readonly end: number;
  readonly amount: number;
}
/**
 * Of the values lent to reader `end` with the answer to read `op`: `count` more were consumed
 * (handed to the reader's user); `done`: the reader holds none of the rest any more (given back).
 */
export interface Taken {
  readonly kind: 'taken';
  readonly end: number;
  readonly op: number;
  readonly count: number;
  readonly done: boolean;
}
/** Answered by `pong` once the receiver has handled everything sent before and gone idle. */
export interface Ping {
  readonly kind: 'ping';
  readonly op: number;
}

// ---- answers and notices: to the proxies' side ------------------------------------------------
/** The end is made; a writer on a buffered channel gets its first credit. */
export interface Opened {
  readonly kind: 'opened';
  readonly end: number;
  readonly credit: number;
}
/** The end could not be made (its side had retired, the channel was refused): its operations fail with `error`. */
export interface EndFailed {
  readonly kind: 'end-failed';
  readonly end: number;
  readonly error: WireValue;
}
/** Values read by `op`; `last` false when more parts follow (an answer split to fit messages). */
export interface Values {
  readonly kind: 'values';
  readonly op: number;
  readonly data: Uint8Array;
  readonly last: boolean;
}
/** A write answered; `credit` is added to the writer's credit (negative: taken back). */
export interface Written {
  readonly kind: 'written';
  readonly op: number;
  readonly credit: number;
}
/** An alt committed to guard `index`; `data` is the value for an input guard. */
export interface AltDone {
  readonly kind: 'alt-done';
  readonly op: number;
  readonly index: number;
  readonly data: Uint8Array | null;
}
/** Offer `op`'s guard `index` may commit: the home asks for the arbiter's lock (`alt-grant` answers). */
export interface AltClaim {
  readonly kind: 'alt-claim';
  readonly op: number;
  readonly claim: number;
  readonly index: number;
}
/** Offer `op`: nothing is ready at the home now (its first answer, when it does not claim). */
export interface AltIdle {
  readonly kind: 'alt-idle';
  readonly op: number;
}
/** Offer `op`: the home lets go of the lock granted to claim `claim`, without committing. */
export interface AltMiss {
  readonly kind: 'alt-miss';
  readonly op: number;
  readonly claim: number;
}
/** Operation `op` failed; `aborted` when a cancel won; `credit` as in `written` (for a write). */
export interface Failed {
  readonly kind: 'failed';
  readonly op: number;
  readonly error: WireValue;
  readonly aborted: boolean;
  readonly credit: number;
}
/** More credit for writer `end`. */
export interface Credit {
  readonly kind: 'credit';
  readonly end: number;
  readonly amount: number;
}
/** Give back the credit of writer `end` you have not used (answered by `return-credit`). */
export interface Revoke {
  readonly kind: 'revoke';
  readonly end: number;
}
/** Something the proxies of `channel` should know: it ended for a side, or was refused. */
export interface ChannelNotice {
  readonly kind: 'channel';
  readonly channel: number;
  readonly event: ChannelEvent;
  readonly error: WireValue | null;
}
export interface Pong {
  readonly kind: 'pong';
  readonly op: number;
}
/** Give back the values lent to reader `end` with the answer to read `op` (answered by `taken`, done). */
export interface Recall {
  readonly kind: 'recall';
  readonly end: number;
  readonly op: number;
}

// ---- processes ----------------------------------------------------------------------------------
/** Run registered process `name` at the receiver; its ends are among `args`. */
export interface Spawn {
  readonly kind: 'spawn';
  readonly pid: number;
  readonly name: string;
  readonly args: readonly ArgWire[];
  /** The file the spawner's process was defined in ('' when unknown): the receiver's must be the same. */
  readonly site: string;
}
/** Process `pid` has ended (error null: normally). */
export interface Ended {
  readonly kind: 'ended';
  readonly pid: number;
  readonly error: WireValue | null;
}
/**
 * Deadlock detection across stations (wait-report.ts): the runner asks for a station's waits;
 * the answer is a WaitReport encoded by the value codec. These three kinds are not counted as
 * traffic by the link (see Link.sentCount).
 */
export interface WaitAsk {
  readonly kind: 'wait-ask';
  readonly op: number;
}
export interface WaitAnswer {
  readonly kind: 'wait-report';
  readonly op: number;
  readonly report: Uint8Array;
}
/** The processes named (by alias, encoded) are deadlocked: their blocking operations fail with `error`. */
export interface Deadlocked {
  readonly kind: 'deadlock';
  readonly error: WireValue;
  readonly processes: Uint8Array;
}
/** The sender cannot serve at all (its modules failed to load, say). */
export interface Fatal {
  readonly kind: 'fatal';
  readonly error: WireValue;
}

export type Request = MakeChannel | Open | Adopt | Read | Write | Cancel | Retire | Poison | Hold | Release | Alt | ReturnCredit | Ping | Taken | AltOffer | AltGrant;
export type Answer = Opened | EndFailed | Values | Written | AltDone | Failed | Credit | Revoke | ChannelNotice | Pong | Recall | AltClaim | AltIdle | AltMiss;
export type ProcessMessage = Spawn | Ended | Fatal | WaitAsk | WaitAnswer | Deadlocked;
export type Message = Hello | Attach | Request | Answer | ProcessMessage;
export type MessageKind = Message['kind'];

const REQUESTS: ReadonlySet<string> = new Set<Request['kind']>(['make-channel', 'open', 'adopt', 'read', 'write', 'cancel', 'retire', 'poison', 'hold', 'release', 'alt', 'return-credit', 'ping', 'taken', 'alt-offer', 'alt-grant']);
const ANSWERS: ReadonlySet<string> = new Set<Answer['kind']>(['opened', 'end-failed', 'values', 'written', 'alt-done', 'failed', 'credit', 'revoke', 'channel', 'pong', 'recall', 'alt-claim', 'alt-idle', 'alt-miss']);

export function isRequest(m: Message): m is Request {
  return REQUESTS.has(m.kind);
}

export function isAnswer(m: Message): m is Answer {
  return ANSWERS.has(m.kind);
}

/** True when `kind` names a request (for a malformed message, of which only the kind could be read). */
export function isRequestKind(kind: string): boolean {
  return REQUESTS.has(kind);
}

/** True when `kind` names an answer or notice. */
export function isAnswerKind(kind: string): boolean {
  return ANSWERS.has(kind);
}

// ---- checking shapes ----------------------------------------------------------------------------

/** A field's type: checked on receipt. */
type Field = 'int' | 'count' | 'ms' | 'string' | 'bool' | 'bytes' | 'bytes?' | 'side' | 'value' | 'value?' | 'buffer?' | 'ending' | 'guards' | 'args' | 'event' | 'counts' | 'moved';

const SHAPES: { readonly [K in MessageKind]: Readonly<Record<Exclude<keyof Extract<Message, { kind: K }>, 'kind'>, Field>> } = {
  hello: { version: 'count', peer: 'string' },
  'make-channel': { channel: 'int', name: 'string', buffer: 'buffer?', maxPending: 'int', codec: 'string' },
  open: { channel: 'int', end: 'int', side: 'side' },
  read: { op: 'count', end: 'int', max: 'count', abortable: 'bool', ahead: 'count' },
  write: { op: 'count', end: 'int', abortable: 'bool', data: 'bytes' },
  cancel: { op: 'count' },
  retire: { end: 'int' },
  poison: { end: 'int', reason: 'value', token: 'int' },
  hold: { end: 'int', pid: 'int', name: 'string', keeper: 'bool' },
  release: { end: 'int', pid: 'int', ending: 'ending' },
  alt: { op: 'count', priority: 'bool', guards: 'guards', abortable: 'bool' },
  'return-credit': { end: 'int', amount: 'count' },
  ping: { op: 'count' },
  opened: { end: 'int', credit: 'count' },
  'end-failed': { end: 'int', error: 'value' },
  values: { op: 'count', last: 'bool', data: 'bytes' },
  written: { op: 'count', credit: 'int' },
  'alt-done': { op: 'count', index: 'count', data: 'bytes?' },
  failed: { op: 'count', error: 'value', aborted: 'bool', credit: 'int' },
  credit: { end: 'int', amount: 'count' },
  revoke: { end: 'int' },
  channel: { channel: 'int', event: 'event', error: 'value?' },
  pong: { op: 'count' },
  spawn: { pid: 'int', name: 'string', args: 'args', site: 'string' },
  ended: { pid: 'int', error: 'value?' },
  fatal: { error: 'value' },
  taken: { end: 'int', op: 'count', count: 'count', done: 'bool' },
  recall: { end: 'int', op: 'count' },
  'alt-offer': { op: 'count', station: 'string', seq: 'count', guards: 'guards', positions: 'counts' },
  'alt-grant': { op: 'count', claim: 'count', granted: 'bool' },
  'alt-claim': { op: 'count', claim: 'count', index: 'count' },
  'alt-idle': { op: 'count' },
  'alt-miss': { op: 'count', claim: 'count' },
  'wait-ask': { op: 'count' },
  'wait-report': { op: 'count', report: 'bytes' },
  deadlock: { error: 'value', processes: 'bytes' },
  attach: { moved: 'moved' },
  adopt: { channel: 'int', end: 'int', side: 'side', holder: 'string', placeholder: 'int' },
};

const EVENTS: ReadonlySet<string> = new Set<ChannelEvent>(['poisoned', 'readers-retired', 'writers-retired', 'drained', 'refused']);
const BUFFER_KINDS: ReadonlySet<string> = new Set(['fixed', 'dropping', 'sliding']);
/** How deep causes and argument lists may nest. */
const MAX_DEPTH = 32;

type Raw = Readonly<Record<string, unknown>>;

function isRecord(x: unknown): x is Raw {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array);
}

const isInt = (x: unknown): x is number => Number.isSafeInteger(x);

/** Why `x` is not a `type`, or null when it is. */
function check(type: Field, x: unknown, depth: number): string | null {
  switch (type) {
    case 'int':
      return isInt(x) ? null : 'an integer';
    case 'count':
      return isInt(x) && x >= 0 ? null : 'an integer >= 0';
    case 'ms':
      return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? null : 'a finite number >= 0';
    case 'string':
      return typeof x === 'string' ? null : 'a string';
    case 'bool':
      return typeof x === 'boolean' ? null : 'a boolean';
    case 'bytes':
      return x instanceof Uint8Array ? null : 'binary';
    case 'bytes?':
      return x === null || x instanceof Uint8Array ? null : 'binary or null';
    case 'side':
      return x === 'reader' || x === 'writer' ? null : '"reader" or "writer"';
    case 'event':
      return typeof x === 'string' && EVENTS.has(x) ? null : 'a channel event';
    case 'value':
      return checkValue(x, depth);
    case 'value?':
      return x === null ? null : checkValue(x, depth);
    case 'buffer?':
      if (x === null) return null;
      return isRecord(x) && typeof x['kind'] === 'string' && BUFFER_KINDS.has(x['kind']) && isInt(x['capacity']) ? null : 'a buffer spec or null';
    case 'ending':
      return checkEnding(x, depth);
    case 'guards':
      return Array.isArray(x) ? firstIssue(x, (g) => checkGuard(g)) : 'a list of guards';
    case 'args':
      return Array.isArray(x) ? firstIssue(x, (a) => checkArg(a, depth + 1)) : 'a list of arguments';
    case 'counts':
      return Array.isArray(x) ? firstIssue(x, (n) => check('count', n, depth)) : 'a list of integers >= 0';
    case 'moved':
      return Array.isArray(x) && x.length > 0 ? firstIssue(x, checkMoved) : 'a non-empty list of moved values';
  }
}

function firstIssue(items: readonly unknown[], one: (item: unknown) => string | null): string | null {
  for (let i = 0; i < items.length; i++) {
    const issue = one(items[i]);
    if (issue !== null) return `[${i}]: ${issue}`;
  }
  return null;
}

/** A shape as a list of fields (checked in this order). */
type Shape = readonly (readonly [string, Field])[];

const shape = (fields: Readonly<Record<string, Field>>): Shape => Object.freeze(Object.entries(fields));

/** SHAPES as lists, made once at load: messages are checked on every receipt. */
const LISTS: Readonly<Record<MessageKind, Shape>> = Object.freeze(Object.fromEntries(Object.entries(SHAPES).map(([kind, fields]) => [kind, shape(fields)])) as Record<MessageKind, Shape>);

const VALUE_SHAPE = shape({ data: 'bytes' });
const TEXT_SHAPE = shape({ text: 'string' });
const ERROR_SHAPE = shape({ name: 'string', message: 'string', fields: 'bytes', cause: 'value?', reason: 'value?' });
const POISON_SHAPE = shape({ reason: 'value', token: 'int' });
const INPUT_SHAPE = shape({ end: 'int' });
const OUTPUT_SHAPE = shape({ end: 'int', data: 'bytes' });
const TIMEOUT_SHAPE = shape({ ms: 'ms' });
const PROXY_SHAPE = shape({ side: 'side', end: 'int', channel: 'int', name: 'string', codec: 'string' });
const ROUTED_SHAPE = shape({ side: 'side', via: 'string', placeholder: 'int', channel: 'int', name: 'string', codec: 'string' });

/** Checks the named fields of `x` (a record). */
function fields(x: unknown, list: Shape, depth: number): string | null {
  if (!isRecord(x)) return 'a record';
  for (const [name, type] of list) {
    const issue = check(type, x[name], depth);
    if (issue !== null) return `field "${name}" must be ${issue}`;
  }
  return null;
}

function checkValue(x: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH) return 'a value nested less deeply';
  if (!isRecord(x)) return 'an error or value record';
  if (x['kind'] === 'value') return fields(x, VALUE_SHAPE, depth);
  if (x['kind'] === 'text') return fields(x, TEXT_SHAPE, depth);
  if (x['kind'] !== 'error') return 'an error or value record';
  const issue = fields(x, ERROR_SHAPE, depth + 1);
  if (issue !== null) return issue;
  return x['stack'] === null || typeof x['stack'] === 'string' ? null : 'field "stack" must be a string or null';
}

function checkEnding(x: unknown, depth: number): string | null {
  if (!isRecord(x)) return 'an ending';
  if (x['kind'] === 'retire') return null;
  if (x['kind'] !== 'poison') return 'an ending ("retire" or "poison")';
  const issue = fields(x, POISON_SHAPE, depth);
  if (issue !== null) return issue;
  const o = x['origin'];
  if (o === null) return null;
  return isRecord(o) && typeof o['channel'] === 'string' && (o['process'] === null || typeof o['process'] === 'string') ? null : 'field "origin" must be an origin or null';
}

function checkMoved(x: unknown): string | null {
  if (!Array.isArray(x) || x.length !== 3) return 'a moved value [at, kind, bytes]';
  const [at, kind, bytes] = x as unknown[];
  if (!isInt(at) || at < 0) return 'a moved value whose position is an integer >= 0';
  if (typeof kind !== 'string') return 'a moved value whose kind is a string';
  return bytes === null || bytes instanceof Uint8Array ? null : 'a moved value whose bytes are binary or null';
}

function checkGuard(x: unknown): string | null {
  if (!isRecord(x)) return 'a guard';
  switch (x['kind']) {
    case 'input':
      return fields(x, INPUT_SHAPE, 0);
    case 'output':
      return fields(x, OUTPUT_SHAPE, 0);
    case 'timeout':
      return fields(x, TIMEOUT_SHAPE, 0);
    case 'skip':
    case 'off':
      return null;
    default:
      return 'a guard (input, output, timeout, skip or off)';
  }
}

function checkArg(x: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH) return 'an argument nested less deeply';
  if (!isRecord(x)) return 'an argument';
  switch (x['kind']) {
    case 'value':
      return fields(x, VALUE_SHAPE, depth);
    case 'proxy':
      return fields(x, PROXY_SHAPE, depth);
    case 'home-end':
      return fields(x, INPUT_SHAPE, depth);
    case 'routed':
      return fields(x, ROUTED_SHAPE, depth);
    case 'list':
      return Array.isArray(x['items']) ? firstIssue(x['items'], (a) => checkArg(a, depth + 1)) : 'field "items" must be a list';
    default:
      return 'an argument (value, proxy, home-end, routed or list)';
  }
}

/** Every kind, by its code on the wire (its position here). */
const KINDS = Object.freeze(Object.keys(SHAPES)) as readonly MessageKind[];
const CODES: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(KINDS.map((kind, code) => [kind, code])));

/**
 * A message as it is packed: a list of its kind's code and its fields, in the order of its shape
 * (a binary `data` field last). Compact, and cheap to pack and unpack; names come back in `parseMessage`.
 */
export function encodeMessage(m: Message): unknown[] {
  return encodeFields(m.kind, m as unknown as Raw);
}

/** As encodeMessage, from a kind and any record of fields (tests use it to send what is malformed). */
export function encodeFields(kind: string, fields: Raw): unknown[] {
  const code = CODES[kind];
  if (code === undefined) return [0xff, ...Object.values(fields)];
  const list = LISTS[kind as MessageKind];
  const out: unknown[] = new Array(list.length + 1);
  out[0] = code;
  for (let i = 0; i < list.length; i++) out[i + 1] = fields[(list[i] as readonly [string, Field])[0]];
  return out;
}

/**
 * `raw` (one decoded message) as a typed Message, or a ProtocolError saying what is wrong with it.
 * The error keeps what could still be read of the message (its kind, and an op, end or channel
 * id), so the operation or channel it concerns can be told.
 */
export function parseMessage(raw: unknown, peer: string): Message | ProtocolError {
  if (!Array.isArray(raw) || raw.length === 0) return new ProtocolError(peer, 'a message must be a list: its kind, then its fields');
  const code: unknown = raw[0];
  const kind = isInt(code) ? KINDS[code] : undefined;
  if (kind === undefined) return salvage(new ProtocolError(peer, `unknown message kind ${JSON.stringify(code)}`), { kind: null });
  const list = LISTS[kind];
  const record: Record<string, unknown> = { kind };
  for (let i = 0; i < list.length; i++) record[(list[i] as readonly [string, Field])[0]] = raw[i + 1];
  if (raw.length !== list.length + 1) return salvage(new ProtocolError(peer, `"${kind}" message: ${raw.length - 1} fields, where it has ${list.length}`), record);
  const issue = fields(record, list, 0);
  if (issue !== null) return salvage(new ProtocolError(peer, `"${kind}" message: ${issue}`), record);
  // Every field has just been checked against the shape of its kind.
  return record as unknown as Message;
}

/** Notes on `error` the ids a malformed message still names. */
function salvage(error: ProtocolError, raw: Raw): ProtocolError {
  error.about = {
    kind: typeof raw['kind'] === 'string' ? raw['kind'] : null,
    op: isInt(raw['op']) && raw['op'] > 0 ? raw['op'] : null,
    end: isInt(raw['end']) ? raw['end'] : null,
    channel: isInt(raw['channel']) ? raw['channel'] : null,
    pid: isInt(raw['pid']) ? raw['pid'] : null,
  };
  return error;
}
