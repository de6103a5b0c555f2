/**
 * W3C trace context: the traceparent of the code that starts a run is reported in run:start, a
 * process on the same thread runs in that context, and a context carried as headers is restored
 * around a function (what a worker will do). Uses @opentelemetry/api with a small AsyncLocalStorage
 * context manager and W3C propagator written here (an application registers real ones).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags, type Context, type ContextManager, type TextMapPropagator } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { network, process, start, type CspflowEvent, type Writer } from '../../src/index.js';
import { otelApi, traceCarrier, withTraceContext } from '../../src/observe/trace-context.js';

class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

const w3c: TextMapPropagator = {
  inject(ctx, carrier, setter) {
    const span = trace.getSpanContext(ctx);
    if (span !== undefined) setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`);
  },
  extract(ctx, carrier, getter) {
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0(\d)$/.exec(String(getter.get(carrier, 'traceparent') ?? ''));
    return m === null ? ctx : trace.setSpanContext(ctx, { traceId: m[1] as string, spanId: m[2] as string, traceFlags: Number(m[3]), isRemote: true });
  },
  fields: () => ['traceparent'],
};

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const caller = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });

describe('without a propagator registered', () => {
  it('the carrier is empty and withTraceContext just calls the function; a missing package is no error', () => {
    expect(traceCarrier()).toEqual({});
    expect(withTraceContext({}, () => 42)).toBe(42);
    expect(otelApi('@opentelemetry/no-such-package')).toBeNull();
    expect(traceCarrier(null)).toEqual({});
    expect(withTraceContext({ traceparent: 'x' }, () => 'ran', null)).toBe('ran');
  });
});

describe('with OpenTelemetry set up', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AlsContextManager());
    propagation.setGlobalPropagator(w3c);
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
  });

  it('run:start carries the caller’s traceparent; a process on this thread runs in the caller’s context', async () => {
    const seen: string[] = [];
    const probe = process('probe', async (out: Writer<string>) => {
      await out.write(trace.getSpanContext(context.active())?.traceId ?? 'none');
    });
    const sink = process('sink', async (input: AsyncIterable<string>) => {
      for await (const id of input) seen.push(id);
    });
    const net = network((n) => {
      const ids = n.channel<string>('ids');
      n.spawn(probe(ids.writer()));
      n.spawn(sink(ids.reader()));
    });
    const handle = context.with(caller, () => start(net, { observe: true }));
    const events: CspflowEvent[] = [];
    for await (const e of handle.events({ operations: false })) events.push(e);
    expect(events[0]).toEqual({ type: 'run:start', runtime: 'local', traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(seen).toEqual([TRACE_ID]);
  });

  it('a context carried as headers is restored around a function (what a worker does for a remote caller)', () => {
    const carrier = context.with(caller, () => traceCarrier());
    expect(carrier).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    const inside = withTraceContext(carrier, () => trace.getSpanContext(context.active()));
    expect(inside).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
    expect(trace.getSpanContext(context.active())).toBeUndefined();
  });
});
