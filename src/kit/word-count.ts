/**
 * Map-reduce word count: mappers take documents from one any-to-any channel, count the words of
 * each, and send every (word, count) pair to the reducer that owns the word (by hash); each
 * reducer sums its words and, once every mapper has retired, reports its totals.
 */
import { chan, type Channel } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { par, process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';

type Pair = readonly [word: string, count: number];

/** The words of a text: maximal runs of letters and digits, lower-cased. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function owner(word: string, reducers: number): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return (h >>> 0) % reducers;
}

export const feed = process('documents', async (docs: readonly string[], out: Writer<string>) => {
  for (const d of docs) await out.write(d);
});

export const mapper = process('mapper', async (docs: Reader<string>, reducers: readonly Writer<Pair>[]) => {
  for await (const doc of docs) {
    const counts = new Map<string, number>();
    for (const w of words(doc)) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, c] of counts) await (reducers[owner(w, reducers.length)] as Writer<Pair>).write([w, c]);
  }
});

export const reducer = process('reducer', async (pairs: Reader<Pair>, out: Writer<Pair>) => {
  const totals = new Map<string, number>();
  for await (const [w, c] of pairs) totals.set(w, (totals.get(w) ?? 0) + c);
  for (const pair of totals) await out.write(pair);
});

export const collect = process('collect', async (from: Reader<Pair>, into: Map<string, number>) => {
  for await (const [w, c] of from) into.set(w, c);
});

export interface WordCountOptions {
  readonly mappers: number;
  readonly reducers: number;
}

/** Word counts of `docs`, sorted by word. */
export async function wordCount(docs: readonly string[], options: WordCountOptions): Promise<[string, number][]> {
  const docChan = chan<string>({ name: 'docs' });
  const parts: Channel<Pair>[] = Array.from({ length: options.reducers }, (_, r) => chan<Pair>({ name: `part${r}` }));
  const totals = chan<Pair>({ name: 'totals' });
  const counts = new Map<string, number>();
  const mappers = Array.from({ length: options.mappers }, () => mapper(docChan.reader(), parts.map((p) => p.writer())));
  const reducers = parts.map((p) => reducer(p.reader(), totals.writer()));
  await par(feed(docs, docChan.writer()), mappers, reducers, collect(totals.reader(), counts));
  return sortedEntries(counts);
}

/**
 * The same word count as a declared network, for any runtime of `cspflow/threads` (mappers and
 * reducers may run in workers; `collect` fills `into` and so stays on the main thread).
 */
export function wordCountNetwork(docs: readonly string[], options: WordCountOptions, into: Map<string, number>): Network {
  return network((net) => {
    const docChan = net.channel<string>('docs');
    const parts = Array.from({ length: options.reducers }, (_, r) => net.channel<Pair>(`part${r}`));
    const totals = net.channel<Pair>('totals');
    net.spawn(feed(docs, docChan.writer()));
    net.spawn(mapper(docChan.reader(), parts.map((p) => p.writer())), { replicas: options.mappers });
    for (const p of parts) net.spawn(reducer(p.reader(), totals.writer()));
    net.spawn(collect(totals.reader(), into), { place: 'main' });
  });
}

/** Sorted entries of a count map (for comparing with the reference). */
export function sortedCounts(counts: Map<string, number>): [string, number][] {
  return sortedEntries(counts);
}

/** The sequential reference. */
export function wordCountReference(docs: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of words(d)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return sortedEntries(counts);
}

function sortedEntries(counts: Map<string, number>): [string, number][] {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
