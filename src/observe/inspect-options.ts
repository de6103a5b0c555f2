/** The options of the live view (`start(net, { inspect })`), checked before anything runs. */

export interface InspectOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Address to listen on. Default 127.0.0.1: nothing is served beyond this machine unless you say so. */
  readonly host?: string;
  /** Milliseconds between updates pushed to the page. Default 500. */
  readonly interval?: number;
  /** Milliseconds to keep serving the final state once the run has ended. Default 0. */
  readonly linger?: number;
}

export interface ResolvedInspectOptions {
  readonly port: number;
  readonly host: string;
  readonly interval: number;
  readonly linger: number;
}

/** Normalises `inspect` (true or options); throws a TypeError or RangeError naming the bad field. */
export function resolveInspect(inspect: boolean | InspectOptions): ResolvedInspectOptions | null {
  if (inspect === false) return null;
  const o: InspectOptions = inspect === true ? {} : inspect;
  if (typeof o !== 'object' || o === null) throw new TypeError(`start(net, { inspect }): inspect must be true or { port, host, interval, linger }, got ${String(inspect)}`);
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`start(net, { inspect: { port } }): port must be an integer in 0..65535, got ${String(o.port)}`);
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) throw new TypeError(`start(net, { inspect: { host } }): host must be a non-empty string, got ${String(o.host)}`);
  const interval = o.interval ?? 500;
  if (!(typeof interval === 'number' && interval >= 10 && Number.isFinite(interval))) throw new RangeError(`start(net, { inspect: { interval } }): interval must be a number of ms >= 10, got ${String(o.interval)}`);
  const linger = o.linger ?? 0;
  if (!(typeof linger === 'number' && linger >= 0 && Number.isFinite(linger))) throw new RangeError(`start(net, { inspect: { linger } }): linger must be a number of ms >= 0, got ${String(o.linger)}`);
  return { port, host, interval, linger };
}
