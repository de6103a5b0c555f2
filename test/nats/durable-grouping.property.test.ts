/**
 * The rule exactly once rests on when values travel many to a message (decision 0015): which
 * written values share an output message, and its id, are a function of the input. Driven here on
 * the ledger alone, with random writes to two ends while a process holds one input message:
 * - processing the same input twice makes the same messages with the same ids;
 * - a message with the same id as another, from any attempt — one with an end leaving early, one
 *   given back unfinished — holds the same values: the output stream dropping a repeat never drops
 *   a value the first copy lacked;
 * - within one attempt every write is in exactly one message, in order.
 * And the message format round-trips and refuses what is malformed.
 * The seed is printed: replay with CSPFLOW_SEED=<seed>.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededParams } from '../../src/testing/params.js';
import { decodeBatch, encodeBatch } from '../../src/transports/nats/durable-batch.js';
import { Ledger, type GroupSink } from '../../src/transports/nats/durable-ledger.js';

interface Write {
  readonly end: 0 | 1;
  readonly bytes: number;
}

/** What one attempt published: per message id, its end and its values. */
type Published = Map<string, { readonly end: number; readonly values: string[] }>;

const text = new TextEncoder();
const words = new TextDecoder();

/**
 * One attempt at processing input message 7 of stream X: its writes, then the process moves past
 * it — or, with `stopAt`, it is given back unfinished after that many writes. `leaveAt` makes end 1
 * leave (publishing its open group) after that many writes, as an end retired early.
 */
function attempt(writes: readonly Write[], budget: number, options: { readonly leaveAt?: number; readonly stopAt?: number } = {}): Published {
  const published: Published = new Map();
  const ledger = new Ledger();
  const sinks: GroupSink[] = [0, 1].map((end) => ({
    budget,
    launch: (id: string, values: readonly Uint8Array[]): Promise<void> => {
      expect(published.has(id), `message id ${id} made twice in one attempt`).toBe(false);
      published.set(id, { end, values: values.map((v) => words.decode(v)) });
      return Promise.resolve();
    },
  }));
  ledger.took('X:7');
  for (let i = 0; i < writes.length; i++) {
    if (i === options.stopAt) {
      ledger.abandoned('X:7');
      return published;
    }
    if (i === options.leaveAt) ledger.flush(sinks[1] as GroupSink);
    const w = writes[i] as Write;
    ledger.add(sinks[w.end] as GroupSink, text.encode(`${i}:${'x'.repeat(w.bytes)}`));
  }
  ledger.completed('X:7');
  ledger.passed('X:7');
  return published;
}

const writesArb = fc.array(fc.record({ end: fc.constantFrom<0 | 1>(0, 1), bytes: fc.integer({ min: 0, max: 300 }) }), { maxLength: 400 });
const budgetArb = fc.integer({ min: 64, max: 4_096 });

describe('output messages are a function of the input', () => {
  it('the same input processed twice makes the same messages; a shared id always means the same values; every write in exactly one message', () => {
    fc.assert(
      fc.property(writesArb, budgetArb, fc.nat(), fc.nat(), (writes, budget, leave, stop) => {
        const first = attempt(writes, budget);
        expect([...attempt(writes, budget)]).toEqual([...first]);
        const others = [attempt(writes, budget, { leaveAt: leave % (writes.length + 1) }), attempt(writes, budget, { stopAt: stop % (writes.length + 1) })];
        for (const other of others) {
          for (const [id, message] of other) {
            const same = first.get(id);
            if (same !== undefined) expect(message, `message ${id}`).toEqual(same);
          }
        }
        for (const end of [0, 1]) {
          const inMessages = [...first.values()].filter((m) => m.end === end).flatMap((m) => m.values);
          const written = writes.flatMap((w, i) => (w.end === end ? [`${i}:${'x'.repeat(w.bytes)}`] : []));
          expect(inMessages).toEqual(written);
        }
      }),
      seededParams('durable output grouping', { numRuns: 200 }),
    );
  });
});

describe('the message format', () => {
  it('a batch round-trips its values in order', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 }), (values) => {
        expect(decodeBatch(encodeBatch(values)).map((v) => [...v])).toEqual(values.map((v) => [...v]));
      }),
      seededParams('durable batch round trip', { numRuns: 200 }),
    );
  });

  it('a truncated or padded batch is refused', () => {
    const data = encodeBatch([text.encode('abc'), text.encode('de')]);
    expect(() => decodeBatch(data.subarray(0, data.byteLength - 1))).toThrow(TypeError);
    expect(() => decodeBatch(new Uint8Array([...data, 0]))).toThrow(TypeError);
    expect(() => decodeBatch(new Uint8Array(2))).toThrow(TypeError);
  });
});
