/**
 * Every event cspflow reports, as one discriminated union on `type`. The same objects go to
 * `handle.events()`, to `watch(listener)` and to the diagnostics channels named `cspflow:<type>`
 * (e.g. `cspflow:process:start`).
 *
 * Events carry no timestamps: they describe what happened, in order, and stay the same under the
 * testing kit's virtual time; stamp them on receipt if you need wall-clock time.
 */

/** How a process ended. */
export type ProcessEnding = 'done' | 'retired' | 'poisoned' | 'failed';

/** An error as an event or a snapshot carries it: plain data, safe to serialise. */
export interface ErrorSummary {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  /** The process the error escaped from, when known. */
  readonly process?: string;
}

/** A channel's buffer kind, as events, snapshots and pictures name it. */
export type ChannelKind = 'rendezvous' | 'fixed' | 'dropping' | 'sliding';

/** One step of a deadlock's wait-for cycle: `process` waits on `channel`, which only `waitsFor` can complete. */
export interface WaitFor {
  readonly process: string;
  readonly id: number;
  readonly operation: 'read' | 'write' | 'alt';
  readonly channel: string;
  readonly waitsFor: { readonly process: string; readonly id: number };
}

/** One process of a deadlock and what it waits on (`id` 0 when it could not be told from a replica). */
export interface DeadlockedProcess {
  readonly process: string;
  readonly id: number;
  readonly operation: 'read' | 'write' | 'alt';
  readonly channels: readonly string[];
}

export type CspflowEvent =
  | { readonly type: 'run:start'; readonly runtime: string; readonly traceparent?: string }
  | { readonly type: 'run:end'; readonly ok: boolean; readonly error?: ErrorSummary }
  | { readonly type: 'process:start'; readonly process: string; readonly id: number }
  | { readonly type: 'process:block'; readonly process: string; readonly id: number; readonly operation: 'read' | 'write' | 'alt'; readonly channels: readonly string[] }
  | { readonly type: 'process:resume'; readonly process: string; readonly id: number }
  | { readonly type: 'process:end'; readonly process: string; readonly id: number; readonly how: ProcessEnding; readonly error?: ErrorSummary }
  | { readonly type: 'channel:create'; readonly channel: string; readonly kind: ChannelKind; readonly capacity: number }
  | { readonly type: 'channel:retire'; readonly channel: string; readonly side: 'reader' | 'writer' }
  | { readonly type: 'channel:poison'; readonly channel: string; readonly by?: string; readonly reason: string }
  | { readonly type: 'deadlock'; readonly blocked: readonly DeadlockedProcess[]; readonly cycle: readonly WaitFor[] }
  | { readonly type: 'worker:join'; readonly worker: string }
  | { readonly type: 'worker:leave'; readonly worker: string; readonly error?: ErrorSummary }
  | { readonly type: 'connection'; readonly transport: string; readonly status: 'up' | 'down' | 'reconnecting'; readonly detail?: string }
  /** Only in `handle.events()`: a consumer fell so far behind that `count` older events were let go. */
  | { readonly type: 'events:lost'; readonly count: number };

export type CspflowEventType = CspflowEvent['type'];

/** Every event type published on a diagnostics channel (all but `events:lost`), in a fixed order. */
export const EVENT_TYPES: readonly CspflowEventType[] = [
  'run:start',
  'run:end',
  'process:start',
  'process:block',
  'process:resume',
  'process:end',
  'channel:create',
  'channel:retire',
  'channel:poison',
  'deadlock',
  'worker:join',
  'worker:leave',
  'connection',
];
