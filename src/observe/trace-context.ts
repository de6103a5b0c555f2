/**
 * W3C trace context (`traceparent`, `tracestate`) for a run, through `@opentelemetry/api` when the
 * application has it (an optional peer; loaded on demand, never required): the carrier of the
 * context active when a run starts, and running a function inside a context taken from a carrier.
 * Without the package, or with no propagator registered, the carrier is empty and `withTraceContext`
 * just calls the function.
 *
 * Where it is used: on one thread a process runs in the async context of the code that started the
 * run, so spans made inside it are children of the caller's span without any help. A run reports
 * the caller's `traceparent` in its run:start event; a runtime that runs processes elsewhere gets
 * the carrier from ExecutionContext.traceContext() to send along (a spawn message to a worker, a
 * NATS header) and runs the body there inside withTraceContext. The thread runtime does not carry
 * it yet (it is being rewritten). The only importer of @opentelemetry/api.
 */
import { createRequire } from 'node:module';

/** The W3C headers of a trace context. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The part of @opentelemetry/api used here (so its types are not needed to build or use cspflow). */
interface OtelApi {
  readonly context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  readonly propagation: { inject(context: unknown, carrier: Record<string, string>): void; extract(context: unknown, carrier: Record<string, string>): unknown };
}

/** The OpenTelemetry API if the application can load it, else null. */
export function otelApi(specifier = '@opentelemetry/api'): OtelApi | null {
  try {
    return createRequire(import.meta.url)(specifier) as OtelApi;
  } catch {
    return null;
  }
}

/** The W3C carrier of the active context: empty without OpenTelemetry, a propagator or an active span. */
export function traceCarrier(api: OtelApi | null = otelApi()): TraceCarrier {
  if (api === null) return {};
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  const out: TraceCarrier = {};
  if (typeof carrier['traceparent'] === 'string') out.traceparent = carrier['traceparent'];
  if (typeof carrier['tracestate'] === 'string') out.tracestate = carrier['tracestate'];
  return out;
}

/** Runs `fn` inside the context `carrier` describes (where a process runs on behalf of a remote caller). */
export function withTraceContext<T>(carrier: TraceCarrier, fn: () => T, api: OtelApi | null = otelApi()): T {
  if (api === null || carrier.traceparent === undefined) return fn();
  const headers: Record<string, string> = { traceparent: carrier.traceparent, ...(carrier.tracestate === undefined ? {} : { tracestate: carrier.tracestate }) };
  return api.context.with(api.propagation.extract(api.context.active(), headers), fn);
}
