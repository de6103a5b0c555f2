/** Checking the options of every map call (map, mapIterable, mapUnordered, mapReduce, this.map). */
import { checkOptionalChoice, checkOptionalInteger, checkOptions, checkOptionalSignal } from './check.js';
import type { MapOptions } from './map-call.js';

export const MAP_OPTIONS = ['chunk', 'window', 'onError', 'signal'] as const;

/** The map options among `options` (which may hold other known keys), checked. */
export function mapOptions(call: string, options: unknown, known: readonly string[] = MAP_OPTIONS): MapOptions {
  checkOptions(call, options, known);
  const o = (options ?? {}) as MapOptions;
  checkOptionalInteger(call, 'options.chunk', o.chunk, 1);
  checkOptionalInteger(call, 'options.window', o.window, 1);
  checkOptionalChoice(call, 'options.onError', o.onError, ['stop', 'continue']);
  checkOptionalSignal(call, 'options.signal', o.signal);
  const settings: { -readonly [K in keyof MapOptions]: MapOptions[K] } = {};
  if (o.chunk !== undefined) settings.chunk = o.chunk;
  if (o.window !== undefined) settings.window = o.window;
  if (o.onError !== undefined) settings.onError = o.onError;
  if (o.signal !== undefined) settings.signal = o.signal;
  return settings;
}
