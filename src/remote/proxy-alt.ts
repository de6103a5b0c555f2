/**
 * The place of one link's proxies, for alt: an alt whose enabled channel guards are all proxies of
 * channels living at the same peer runs there, whole, with the core's own alt (commit exactly one,
 * leave the others untouched, priority and fairness as in one thread) — the fast path. Timeouts
 * run at the home; aborting sends a cancel, and a cancel that arrives after the commit loses — the
 * result stands. An alt whose guards live in several places runs with this station as its
 * arbiter (spread-alt.ts).
 */
import { CodecError, encodeBatch } from '../codec/codec.js';
import type { AltOutcome, AltPlace, Guard } from '../core/alt.js';
import { abortError } from '../core/errors.js';
import { FrameTooLargeError } from './errors.js';
import type { GuardWire } from './protocol.js';
import type { ProxyHost } from './proxy-end.js';
import { ProxyReader } from './proxy-reader.js';
import { ProxyWriter } from './proxy-writer.js';
import { runSpread, type SpreadHost } from './spread-alt.js';

export class ProxyPlace implements AltPlace {
  constructor(
    readonly description: string,
    private readonly host: () => ProxyHost & SpreadHost,
  ) {}

  runSpread(guards: readonly Guard[], order: readonly number[], _priority: boolean, signal: AbortSignal | undefined): Promise<AltOutcome> {
    return runSpread(guards, order, signal, (end) => (end.host.place as ProxyPlace).host());
  }

  runAlt(guards: readonly Guard[], priority: boolean, signal: AbortSignal | undefined): Promise<AltOutcome> {
    const host = this.host();
    const wire: GuardWire[] = [];
    const readers: (ProxyReader<unknown> | null)[] = [];
    for (const g of guards) {
      let reader: ProxyReader<unknown> | null = null;
      if (!g.enabled) wire.push({ kind: 'off' });
      else if (g.kind === 'timeout') wire.push({ kind: 'timeout', ms: g.ms });
      else if (g.kind === 'skip') wire.push({ kind: 'skip' });
      else if (g.kind === 'input' && g.end instanceof ProxyReader) {
        reader = g.end;
        // Values it read ahead go back first: the alt at the home takes from the front of the channel.
        reader.giveBack();
        wire.push({ kind: 'input', end: g.end.id });
      } else if (g.kind === 'output' && g.end instanceof ProxyWriter) {
        const end = g.end;
        let data: Uint8Array;
        try {
          // Copied, never moved: the alt may commit to another guard, and this value must stay the writer's.
          data = encodeBatch(end.channel.codec, [g.value], 0);
        } catch (cause) {
          return Promise.reject(new CodecError(end.channel.name, end.channel.codec.name, 'encode', cause));
        }
        if (data.length > host.maxDataBytes) return Promise.reject(new FrameTooLargeError('a value offered by an output guard', data.length, host.maxDataBytes, end.channel.name));
        // The alt gives the writer's credit back (the home frees the space it held for it), so the
        // offer can use that space like any other write.
        end.credit = 0;
        wire.push({ kind: 'output', end: end.id, data });
      } else return Promise.reject(new TypeError(`alt: guard ${wire.length} is not an end of a channel living in ${this.description}`));
      readers.push(reader);
    }
    return host.call((op) => ({ kind: 'alt', op, priority, guards: wire, abortable: signal !== undefined }), signal).then(({ answer }) => {
      if (answer.kind !== 'alt-done') {
        if (answer.kind !== 'failed') throw new TypeError(`alt: unexpected "${answer.kind}" answer`);
        throw answer.aborted && signal !== undefined ? abortError(signal) : host.rebuild(answer.error);
      }
      const reader = readers[answer.index] ?? null;
      return { index: answer.index, value: reader === null || answer.data === null ? undefined : reader.decode(answer.data)[0] };
    });
  }
}
