/**
 * What a durable channel is, as every place using it must agree: its stream, subject, shared
 * consumer and lease settings. It crosses to a worker as a plain value inside a marked argument
 * (`[DURABLE_END, spec, watch, presence]`, the two ends being proxies of the channel's control
 * channels at its home); the worker turns it into a durable end (worker.ts). A spec names a stream,
 * never code to run.
 */

/** The first item of an argument a worker turns into a durable end. */
export const DURABLE_END = 'cspflow:durable-end';

export interface DurableSpec {
  /** The channel's name (for errors). */
  readonly channel: string;
  readonly side: 'reader' | 'writer';
  readonly stream: string;
  readonly subject: string;
  /** The durable pull consumer every reader shares. */
  readonly consumer: string;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /** The name of the codec values are encoded with (registered wherever the channel is used). */
  readonly codec: string;
  /** The most messages the stream holds (the channel's buffer in messages of up to GROUP_VALUES values). */
  readonly capacity: number;
  /** The bytes one message should carry at most (a value bigger than that travels alone). */
  readonly messageBytes: number;
  /**
   * True when writers enforce the capacity (a replicated stream: see durable-channel.ts), false
   * when the stream does (`max_msgs` with `discard: new`).
   */
  readonly writersBound: boolean;
}

/** `value` as a DurableSpec, or null if it is not one (a worker ignores nothing: it refuses the spawn). */
export function parseDurableSpec(value: unknown): DurableSpec | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Record<string, unknown>;
  const str = (k: string): boolean => typeof s[k] === 'string' && s[k] !== '';
  const pos = (k: string): boolean => typeof s[k] === 'number' && Number.isInteger(s[k]) && (s[k] as number) > 0;
  if (!['channel', 'stream', 'subject', 'consumer', 'codec'].every(str) || !pos('ackWaitMs') || !pos('maxDeliver') || !pos('capacity') || !pos('messageBytes')) return null;
  if (typeof s['writersBound'] !== 'boolean') return null;
  if (s['side'] !== 'reader' && s['side'] !== 'writer') return null;
  return s as unknown as DurableSpec;
}
