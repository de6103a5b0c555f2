/**
 * What a built-in codec carries, checked before it encodes: a value crosses a thread boundary with
 * its shape, or the write fails, saying what cannot cross, where in the value, and what to do
 * (docs/decisions/0004-codec-contract.md). Encoders left to themselves change values silently — a
 * class instance becomes a plain object, a function `undefined`, a Date a string in JSON.
 *
 * A contract lists the classes whose instances cross as themselves (plain objects and arrays
 * always do) and what else the format refuses. Everything else that is an object is refused.
 *
 * Invariants: checking never changes the value and calls no user code (no getters are avoided
 * either: own enumerable properties are read, as every encoder does); a value that passes is one
 * the codec encodes and decodes to an equal value (tested by property in test/codec).
 */

/** What one codec carries. */
export interface Contract {
  /** For messages: `msgpack`, `clone`, `json`. */
  readonly codec: string;
  /** Prototypes, besides Object.prototype, null and Array.prototype, whose instances cross as themselves. */
  readonly classes: ReadonlySet<object>;
  /** Cycles and shared references are carried (else a cycle is refused). */
  readonly cycles: boolean;
  /** JSON only: undefined, NaN, ±Infinity, bigint and array holes would change or fail. */
  readonly jsonOnly: boolean;
  /** An own property named `__proto__` would be renamed by the encoder. */
  readonly refuseProtoKey: boolean;
  /** Own enumerable properties of an Error that cross (besides its class, message and cause). */
  readonly errorKeys: readonly string[];
}

/** Error classes whose instances cross with their class, name, message and cause. */
export const STANDARD_ERRORS: readonly ErrorConstructor[] = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];

const TYPED_ARRAYS: readonly (abstract new (...args: never[]) => object)[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

/** The binary classes every structured codec carries: ArrayBuffer, DataView, typed arrays, Node's Buffer. */
export function binaryClasses(): object[] {
  const buffer = (globalThis as { Buffer?: { prototype: object } }).Buffer;
  return [ArrayBuffer.prototype, DataView.prototype, ...TYPED_ARRAYS.map((c) => c.prototype), ...(buffer === undefined ? [] : [buffer.prototype])];
}

/** Throws a TypeError saying what in `value` the codec of `contract` cannot carry. */
export function checkCarriable(value: unknown, contract: Contract): void {
  if (!simple(value, contract.jsonOnly)) new Walk(contract).value(value);
}

/** The same for each of `values` (a batch): one walk, and a refusal says where in which value. */
export function checkEach(values: readonly unknown[], contract: Contract): void {
  let walk: Walk | null = null;
  for (let i = 0; i < values.length; i++) {
    const value: unknown = values[i];
    if (simple(value, contract.jsonOnly)) continue;
    walk ??= new Walk(contract);
    walk.value(value);
  }
}

/** A string, a boolean or a number JSON can carry: nothing to look at. */
function simple(value: unknown, jsonOnly: boolean): boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && (!jsonOnly || Number.isFinite(value)));
}

/** A step into a value: an array index, a property name, or an entry of a Map or Set. */
type Step = number | string | { readonly entry: 'key' | 'value' | 'item'; readonly index: number };

/** Where in the value: `value.items[2].point`, `value<Map value 0>`. */
function at(path: readonly Step[]): string {
  let text = 'value';
  for (const p of path) {
    if (typeof p === 'number') text += `[${p}]`;
    else if (typeof p === 'string') text += /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`;
    else text += p.entry === 'item' ? `<Set item ${p.index}>` : `<Map ${p.entry} ${p.index}>`;
  }
  return text;
}

function article(name: string): string {
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

class Walk {
  /** Objects met so far (all of them when cycles are carried; the current ancestors otherwise). */
  private readonly seen = new Set<object>();
  /** Where the walk is now; copied only when something is refused. */
  private readonly path: Step[] = [];

  constructor(private readonly contract: Contract) {}

  value(value: unknown): void {
    if (typeof value === 'object' && value !== null) this.object(value);
    else this.primitive(value);
  }

  object(value: object): void {
    const contract = this.contract;
    if (this.seen.has(value)) {
      if (contract.cycles) return;
      this.refuse('a cycle', 'this format cannot carry an object that contains itself; use the msgpack or clone codec, which carry cycles');
    }
    const proto: unknown = Object.getPrototypeOf(value);
    const plain = proto === Object.prototype || proto === null || proto === Array.prototype;
    if (!plain && !contract.classes.has(proto as object)) this.notItsClass(value);
    this.seen.add(value);
    if (Array.isArray(value)) this.items(value);
    else if (plain) this.properties(value);
    else if (value instanceof Error) this.error(value);
    else if (value instanceof Map) {
      let index = 0;
      for (const [k, v] of value) {
        this.into({ entry: 'key', index }, k);
        this.into({ entry: 'value', index: index++ }, v);
      }
    } else if (value instanceof Set) {
      let index = 0;
      for (const v of value) this.into({ entry: 'item', index: index++ }, v);
    }
    if (!contract.cycles) this.seen.delete(value);
  }

  primitive(value: unknown): void {
    switch (typeof value) {
      case 'function':
        return this.refuse(`a function${value.name === '' ? '' : ` (${value.name})`}`, 'only data crosses; send a name or plain data, and let the receiving process hold the code');
      case 'symbol':
        return this.refuse('a symbol', 'only data crosses; send a string instead');
      case 'undefined':
        if (this.contract.jsonOnly) this.refuse('undefined', 'JSON would drop it or turn it into null; send null, or use the msgpack codec');
        return;
      case 'bigint':
        if (this.contract.jsonOnly) this.refuse(`a bigint (${value}n)`, 'JSON has no bigint; send it as a string, or use the msgpack codec');
        return;
      case 'number':
        if (this.contract.jsonOnly && !Number.isFinite(value)) this.refuse(String(value), 'JSON would turn it into null; use the msgpack codec');
        return;
      default:
    }
  }

  private into(step: Step, value: unknown): void {
    this.path.push(step);
    if (typeof value === 'object' && value !== null) this.object(value);
    else this.primitive(value);
    this.path.pop();
  }

  private items(array: readonly unknown[]): void {
    const jsonOnly = this.contract.jsonOnly;
    for (let i = 0; i < array.length; i++) {
      const item: unknown = array[i];
      // Strings, booleans and (outside JSON) numbers need no look: the common case stays cheap.
      const type = typeof item;
      if (type === 'string' || type === 'boolean' || (type === 'number' && !jsonOnly)) continue;
      this.path.push(i);
      if (jsonOnly && !(i in array)) this.refuse('an array hole', 'JSON would turn it into null; fill the array');
      if (type === 'object' && item !== null) this.object(item as object);
      else this.primitive(item);
      this.path.pop();
    }
  }

  private properties(object: object): void {
    if (Object.getOwnPropertySymbols(object).length > 0) this.refuse('a property keyed by a symbol', 'it would be dropped; use a string key');
    const refuseProtoKey = this.contract.refuseProtoKey;
    // for-in walks the own enumerable keys of a plain object without allocating an array
    // (Object.prototype has no enumerable keys; a null-prototype object has no prototype at all).
    for (const key in object) {
      if (refuseProtoKey && key === '__proto__') this.refuse('an own property named "__proto__"', 'it would arrive renamed; rename it, or use the clone codec');
      const v = (object as Record<string, unknown>)[key];
      const type = typeof v;
      if (type === 'string' || type === 'boolean' || (type === 'number' && !this.contract.jsonOnly)) continue;
      this.into(key, v);
    }
  }

  private error(error: Error): void {
    const extra = Object.keys(error).filter((k) => !this.contract.errorKeys.includes(k));
    if (extra.length > 0) {
      this.refuse(
        `${article(className(error))} with own properties (${extra.join(', ')})`,
        `only its class, message and cause cross, so they would be lost; send them as plain data, e.g. { name, message, ${extra[0]} }`,
      );
    }
    if (Object.hasOwn(error, 'cause')) this.into('cause', error.cause);
  }

  private notItsClass(value: object): never {
    const name = className(value);
    if (value instanceof Error) {
      return this.refuse(`${article(name)} (an Error subclass)`, 'it would arrive as a plain Error of a standard class; send { name, message, … } as plain data, or give the channel its own codec');
    }
    return this.refuse(
      article(name),
      'it would arrive as something else, without its class and methods. Send plain data (an object of its fields), or give the channel a codec that rebuilds it: ' +
        'net.channel(name, { codec }), the codec exported from a module the workers load',
    );
  }

  private refuse(what: string, fix: string): never {
    throw new TypeError(`${what} (at ${at(this.path)}) cannot cross with the ${this.contract.codec} codec: ${fix}`);
  }
}

function className(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object of an anonymous class';
}
