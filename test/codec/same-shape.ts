/**
 * Deep equality of a value sent and the value that arrived, by the letter of a codec's contract
 * (docs/decisions/0004-codec-contract.md): same classes, same contents, cycles and shared
 * references in the same places — with exactly the differences the contract documents allowed.
 */

export interface Allowed {
  /** -0 may arrive as 0 (msgpack, json). */
  readonly negativeZero: boolean;
  /** An array hole may arrive as undefined (msgpack). */
  readonly holes: boolean;
  /** An Error's stack is carried (clone). */
  readonly stack: boolean;
  /** An object reached twice (not a cycle) may arrive as two equal copies (json). */
  readonly sharedCopies: boolean;
}

/** Null when `got` has the shape of `sent`, else where and how they differ. */
export function shapeDifference(sent: unknown, got: unknown, allowed: Allowed): string | null {
  return new Compare(allowed).same(sent, got, 'value');
}

class Compare {
  /** Pairs already matched: a cycle or a shared reference must arrive as the same pairing. */
  private readonly pairs = new Map<object, object>();

  constructor(private readonly allowed: Allowed) {}

  same(a: unknown, b: unknown, at: string): string | null {
    if (typeof a !== 'object' || a === null) {
      if (typeof a === 'number' && typeof b === 'number' && this.allowed.negativeZero && a === 0 && b === 0) return null;
      return Object.is(a, b) ? null : `${at}: sent ${describe(a)}, got ${describe(b)}`;
    }
    if (typeof b !== 'object' || b === null) return `${at}: sent an object, got ${describe(b)}`;
    const paired = this.pairs.get(a);
    if (paired !== undefined && paired !== b && !this.allowed.sharedCopies) return `${at}: a shared or cyclic reference arrived as a different object`;
    if (paired === b) return null;
    this.pairs.set(a, b);
    const protoA: unknown = Object.getPrototypeOf(a);
    const protoB: unknown = Object.getPrototypeOf(b);
    // A null-prototype object arrives as an ordinary one (documented).
    const expected = protoA === null ? Object.prototype : protoA;
    if (protoB !== expected) return `${at}: sent a ${className(a)}, got a ${className(b)}`;
    if (Array.isArray(a)) return this.arrays(a, b as unknown[], at);
    if (a instanceof Map) return this.entries([...a], [...(b as Map<unknown, unknown>)], at);
    if (a instanceof Set) return this.list([...a], [...(b as Set<unknown>)], at);
    if (a instanceof Date) return Object.is(a.getTime(), (b as Date).getTime()) ? null : `${at}: dates differ`;
    if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags ? null : `${at}: regexps differ`;
    if (a instanceof ArrayBuffer) return bytesDiffer(new Uint8Array(a), new Uint8Array(b as ArrayBuffer), at);
    if (ArrayBuffer.isView(a)) return bytesDiffer(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), viewBytes(b as ArrayBufferView), at);
    if (a instanceof Error) return this.errors(a, b as Error, at);
    if (a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof BigInt) return Object.is(a.valueOf(), (b as { valueOf(): unknown }).valueOf()) ? null : `${at}: boxed values differ`;
    return this.objects(a, b, at);
  }

  private arrays(a: unknown[], b: unknown[], at: string): string | null {
    if (a.length !== b.length) return `${at}: length ${a.length}, got ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      if (!(i in a)) {
        if (i in b && !(this.allowed.holes && b[i] === undefined)) return `${at}[${i}]: a hole arrived as ${describe(b[i])}`;
        continue;
      }
      const d = this.same(a[i], b[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }

  private list(a: unknown[], b: unknown[], at: string): string | null {
    if (a.length !== b.length) return `${at}: ${a.length} items, got ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = this.same(a[i], b[i], `${at}<item ${i}>`);
      if (d !== null) return d;
    }
    return null;
  }

  private entries(a: [unknown, unknown][], b: [unknown, unknown][], at: string): string | null {
    if (a.length !== b.length) return `${at}: ${a.length} entries, got ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const [ka, va] = a[i] as [unknown, unknown];
      const [kb, vb] = b[i] as [unknown, unknown];
      const d = this.same(ka, kb, `${at}<key ${i}>`) ?? this.same(va, vb, `${at}<value ${i}>`);
      if (d !== null) return d;
    }
    return null;
  }

  private errors(a: Error, b: Error, at: string): string | null {
    if (a.name !== b.name || a.message !== b.message) return `${at}: sent ${a.name}: ${a.message}, got ${b.name}: ${b.message}`;
    if (this.allowed.stack && a.stack !== b.stack) return `${at}: the stack differs`;
    return this.same(a.cause, b.cause, `${at}.cause`);
  }

  private objects(a: object, b: object, at: string): string | null {
    const keysA = Object.keys(a).sort();
    const keysB = Object.keys(b).sort();
    if (keysA.join('\u0000') !== keysB.join('\u0000')) return `${at}: keys ${JSON.stringify(keysA)}, got ${JSON.stringify(keysB)}`;
    for (const k of keysA) {
      const d = this.same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
}

function viewBytes(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function bytesDiffer(a: Uint8Array, b: Uint8Array, at: string): string | null {
  if (a.length !== b.length) return `${at}: ${a.length} bytes, got ${b.length}`;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `${at}: byte ${i} differs`;
  return null;
}

function className(v: object): string {
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  return proto === null ? 'null-prototype object' : (proto.constructor?.name ?? 'anonymous');
}

function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (Object.is(v, -0)) return '-0';
  if (typeof v === 'object' && v !== null) return `a ${className(v)}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
