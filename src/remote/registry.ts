/**
 * What a station may run and decode: the process factories and codecs exported by the modules it
 * was given, by their stable names. A spawn names a registered process; a message never makes a
 * station load anything.
 */
import { cloneCodec } from '../codec/clone.js';
import type { Codec } from '../codec/codec.js';
import { jsonCodec } from '../codec/json.js';
import { msgpackCodec } from '../codec/msgpack.js';
import type { ProcessFactory } from '../core/process.js';

export interface Registry {
  readonly processes: Map<string, ProcessFactory<unknown[]>>;
  readonly codecs: Map<string, Codec<unknown>>;
}

/** A registry knowing no process yet, and the built-in codecs (msgpack, clone, json). */
export function newRegistry(): Registry {
  return {
    processes: new Map(),
    codecs: new Map<string, Codec<unknown>>([
      ['msgpack', msgpackCodec()],
      ['clone', cloneCodec()],
      ['json', jsonCodec()],
    ]),
  };
}

function isFactory(value: unknown): value is ProcessFactory<unknown[]> {
  return typeof value === 'function' && typeof (value as Partial<ProcessFactory<unknown[]>>).processName === 'string';
}

function isCodec(value: unknown): value is Codec<unknown> {
  const c = value as Partial<Codec<unknown>> | null;
  return typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.encode === 'function' && typeof c.decode === 'function';
}

/** Registers the exports of one module (and of objects it exports, one level down); `from` names it in errors. */
export function register(registry: Registry, exports: Record<string, unknown>, from: string): void {
  const visit = (value: unknown): void => {
    if (isFactory(value)) {
      const known = registry.processes.get(value.processName);
      if (known !== undefined && known !== value) throw new Error(`process "${value.processName}" is exported twice with different bodies (last from ${from})`);
      registry.processes.set(value.processName, value);
    } else if (isCodec(value)) registry.codecs.set(value.name, value);
  };
  for (const value of Object.values(exports)) {
    visit(value);
    if (typeof value === 'object' && value !== null && !isCodec(value)) for (const inner of Object.values(value)) visit(inner);
  }
}
