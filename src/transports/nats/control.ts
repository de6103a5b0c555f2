/**
 * The control messages of the NATS transport — discovery and joining a run — as typed JSON,
 * checked on receipt (`parse…` returns null for anything malformed; a worker never throws on
 * garbage sent to its control subjects, it ignores it). The runs themselves speak the remote
 * layer's protocol over reliable links.
 *
 *   runner → <prefix>.discover            {v: 1}
 *   worker → reply                        {v: 1, id, processes, capacity, running, draining}
 *   runner → <prefix>.worker.<id>.join    {v: 1, run, runner, session}
 *   worker → reply                        {v: 1, ok: true} | {v: 1, ok: false, error}
 *   runner → <prefix>.worker.<id>.route   {v: 1, run, peer}   (a direct route to worker `peer` of the run)
 *   worker → reply                        {v: 1, ok: true} | {v: 1, ok: false, error}
 */

export const CONTROL_VERSION = 1;

export interface Announcement {
  readonly v: 1;
  readonly id: string;
  /** The process names the worker can run. */
  readonly processes: readonly string[];
  /** The most processes it runs at once (0: no limit). */
  readonly capacity: number;
  readonly running: number;
  readonly draining: boolean;
}

export interface JoinRequest {
  readonly v: 1;
  readonly run: string;
  /** The runner's peer id in the run's namespace. */
  readonly runner: string;
  /**
   * The session of the runner's link to this worker: the same join asked again names the same
   * one; a runner asking a worker it lost back into the run names a new one.
   */
  readonly session: number;
}

/** Open a direct route, in run `run` (which the worker has joined), to worker `peer` of it (record 0014). */
export interface RouteRequest {
  readonly v: 1;
  readonly run: string;
  readonly peer: string;
}

export type JoinReply = { readonly v: 1; readonly ok: true } | { readonly v: 1; readonly ok: false; readonly error: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeControl(message: Announcement | JoinRequest | RouteRequest | JoinReply | { readonly v: 1 }): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

function json(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { v?: unknown }).v === CONTROL_VERSION ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

export function parseDiscover(bytes: Uint8Array): boolean {
  return json(bytes) !== null;
}

export function parseAnnouncement(bytes: Uint8Array): Announcement | null {
  const m = json(bytes);
  if (m === null || !isString(m['id']) || !Array.isArray(m['processes']) || !m['processes'].every(isString)) return null;
  if (!isCount(m['capacity']) || !isCount(m['running']) || typeof m['draining'] !== 'boolean') return null;
  return { v: 1, id: m['id'], processes: m['processes'] as string[], capacity: m['capacity'], running: m['running'], draining: m['draining'] };
}

export function parseJoin(bytes: Uint8Array): JoinRequest | null {
  const m = json(bytes);
  if (m === null || !isString(m['run']) || !isString(m['runner']) || !isCount(m['session'])) return null;
  return { v: 1, run: m['run'], runner: m['runner'], session: m['session'] };
}

export function parseRoute(bytes: Uint8Array): RouteRequest | null {
  const m = json(bytes);
  if (m === null || !isString(m['run']) || !isString(m['peer'])) return null;
  return { v: 1, run: m['run'], peer: m['peer'] };
}

export function parseJoinReply(bytes: Uint8Array): JoinReply | null {
  const m = json(bytes);
  if (m === null) return null;
  if (m['ok'] === true) return { v: 1, ok: true };
  if (m['ok'] === false && isString(m['error'])) return { v: 1, ok: false, error: m['error'] };
  return null;
}
