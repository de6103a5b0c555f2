/**
 * Values keep their shape, or fail loudly (issue 8; docs/decisions/0004-codec-contract.md): for
 * every built-in codec, a generated value either fails the encode with a TypeError saying what
 * cannot cross, or arrives (decoded by another instance of the codec, as in another thread) with
 * the shape it was sent with. And every value inside a codec's contract is accepted.
 */
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { cloneCodec, jsonCodec, msgpackCodec, type Codec } from '../../src/index.js';
import { decodeBatch, encodeBatch } from '../../src/codec/codec.js';
import { seededParams } from '../../src/testing/params.js';
import { shapeDifference, type Allowed } from './same-shape.js';

interface Case {
  readonly make: () => Codec<unknown>;
  readonly allowed: Allowed;
}

const CODECS: Record<'msgpack' | 'clone' | 'json', Case> = {
  msgpack: { make: msgpackCodec, allowed: { negativeZero: true, holes: true, stack: false, sharedCopies: false } },
  clone: { make: cloneCodec, allowed: { negativeZero: false, holes: false, stack: true, sharedCopies: false } },
  json: { make: jsonCodec, allowed: { negativeZero: true, holes: false, stack: false, sharedCopies: true } },
};

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
class Registry extends Map<string, number> {}
class ValidationError extends Error {}

const STANDARD = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError] as const;

const primitive = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.date(),
);

const standardError = fc
  .record({ kind: fc.constantFrom(...STANDARD), message: fc.string(), cause: fc.option(fc.oneof(fc.string(), fc.integer()), { nil: undefined }) })
  .map(({ kind, message, cause }) => (cause === undefined ? new kind(message) : new kind(message, { cause })));

const binary = fc.oneof(
  fc.uint8Array().map((u) => u.buffer as ArrayBuffer),
  fc.uint8Array({ minLength: 4 }).map((u) => new Uint8Array(u.buffer, 1, u.length - 2)),
  fc.uint8Array().map((u) => new DataView(u.buffer)),
  fc.uint8Array().map((u) => Buffer.from(u)),
  fc.constantFrom(/a+b/gi, /^x$/m),
);

/** Values no built-in codec carries as they are. */
const refused = fc.constantFrom<unknown>(
  new Point(1, 2),
  new Registry([['a', 1]]),
  new ValidationError('invalid'),
  Object.assign(new Error('with a code'), { code: 'E_CODE' }),
  new SharedArrayBuffer(4),
  () => 1,
  Symbol('s'),
  { [Symbol('key')]: 1 },
  new WeakMap(),
  Promise.resolve(1),
  new AggregateError([new Error('a')], 'many'),
);

/** Any value: the contract's and others, nested, with shared references and cycles. */
const anyValue = fc
  .anything({
    values: [primitive, standardError, binary, refused],
    withMap: true,
    withSet: true,
    withBoxedValues: true,
    withNullPrototype: true,
    withSparseArray: true,
    withTypedArray: true,
    maxDepth: 3,
  })
  .chain((v) => fc.oneof(fc.constant(v), fc.constant([v, v]), fc.constant(cyclic(v))));

function cyclic(v: unknown): unknown {
  const o: Record<string, unknown> = { v };
  o['self'] = o;
  return new Map<unknown, unknown>([[o, new Set([o])]]);
}

/** Encodes with one instance and decodes with another (as across threads); null if refused. */
function roundTrip(c: Case, value: unknown): { got: unknown } | null {
  let bytes: Uint8Array;
  try {
    bytes = c.make().encode(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/cannot cross with the (msgpack|clone|json) codec: /);
    return null;
  }
  return { got: c.make().decode(bytes) };
}

describe.each(Object.entries(CODECS))('the %s codec', (name, c) => {
  test('any value arrives with the shape it was sent with, or the write fails saying why', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const out = roundTrip(c, value);
        if (out !== null) expect(shapeDifference(value, out.got, c.allowed)).toBeNull();
      }),
      seededParams(`${name} codec: shape or a loud failure`, { numRuns: 400 }),
    );
  });

  test('batches (several values in one frame) keep every value’s shape too', () => {
    fc.assert(
      fc.property(fc.array(anyValue, { maxLength: 4 }), (values) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeBatch(c.make(), values);
        } catch (error) {
          expect((error as Error).message).toMatch(/cannot cross with the/);
          return;
        }
        expect(shapeDifference(values, decodeBatch(c.make(), bytes), c.allowed)).toBeNull();
      }),
      seededParams(`${name} codec: batches`, { numRuns: 150 }),
    );
  });
});

describe('what each codec accepts: everything in its contract', () => {
  const key = fc.string().filter((k) => k !== '__proto__');
  const structured = (extra: fc.Arbitrary<unknown>[]) =>
    fc
      .anything({ key, values: [primitive, standardError, binary, ...extra], withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, maxDepth: 3 })
      .chain((v) => fc.oneof(fc.constant(v), fc.constant([v, v]), fc.constant(cyclic(v))));

  it.each([
    ['msgpack', structured([])],
    ['clone', structured([fc.constantFrom(new Number(1), new String('s'), Object(2n) as object), fc.constant([1, , 3])])],
    ['json', fc.jsonValue()],
  ] as const)('%s', (name, values) => {
    const c = CODECS[name];
    fc.assert(
      fc.property(values, (value) => {
        const out = roundTrip(c, value);
        expect(out).not.toBeNull();
        expect(shapeDifference(value, (out as { got: unknown }).got, c.allowed)).toBeNull();
      }),
      seededParams(`${name} codec: its whole contract is accepted`, { numRuns: 300 }),
    );
  });
});

describe('what a refusal says', () => {
  const refusal = (codec: Codec<unknown>, value: unknown): string => {
    try {
      codec.encode(value);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the encode to fail');
  };

  it('a class instance: which class, where, and how to send it instead', () => {
    const message = refusal(msgpackCodec(), { items: [1, { at: new Point(1, 2) }] });
    expect(message).toMatch(/^a Point \(at value\.items\[1\]\.at\) cannot cross with the msgpack codec: it would arrive as something else, without its class and methods/);
    expect(message).toMatch(/net\.channel\(name, \{ codec \}\)/);
    expect(refusal(cloneCodec(), new Registry())).toMatch(/^a Registry \(at value\)/);
  });

  it('an Error with own properties, and an Error subclass', () => {
    expect(refusal(msgpackCodec(), Object.assign(new Error('x'), { code: 'E1' }))).toMatch(/^an Error with own properties \(code\).*\{ name, message, code \}/);
    expect(refusal(cloneCodec(), new ValidationError('v'))).toMatch(/^a ValidationError \(an Error subclass\)/);
  });

  it('entries of Maps and Sets are named by position', () => {
    expect(refusal(msgpackCodec(), new Map([['k', () => 1]]))).toMatch(/^a function \(at value<Map value 0>\)/);
    expect(refusal(msgpackCodec(), new Set([1, Symbol('x')]))).toMatch(/^a symbol \(at value<Set item 1>\)/);
  });

  it('JSON refuses what it would drop or change', () => {
    const json = jsonCodec();
    expect(refusal(json, { when: new Date(0) })).toMatch(/^a Date \(at value\.when\) cannot cross with the json codec/);
    expect(refusal(json, { a: undefined })).toMatch(/^undefined \(at value\.a\).*send null/);
    expect(refusal(json, [1, Number.NaN])).toMatch(/^NaN \(at value\[1\]\)/);
    expect(refusal(json, 5n)).toMatch(/^a bigint \(5n\)/);
    expect(refusal(json, [1, , 3])).toMatch(/^an array hole \(at value\[1\]\)/);
    const loop: Record<string, unknown> = {};
    loop['me'] = loop;
    expect(refusal(json, loop)).toMatch(/^a cycle \(at value\.me\).*use the msgpack or clone codec/);
  });

  it('the default codec keeps a Map with object keys, cycles and shared references', () => {
    const shared = { n: 1 };
    const value: Record<string, unknown> = { m: new Map([[{ k: 1 }, shared]]), again: shared };
    value['self'] = value;
    const got = msgpackCodec().decode(msgpackCodec().encode(value)) as typeof value;
    expect(got['self']).toBe(got);
    expect([...(got['m'] as Map<unknown, unknown>).values()][0]).toBe(got['again']);
    expect([...(got['m'] as Map<unknown, unknown>).keys()][0]).toEqual({ k: 1 });
  });
});
