/**
 * Map-reduce word count: mappers take documents from one any-to-any channel, count the words of
 * each, and send every (word, count) pair to the reducer that owns the word (by hash); each
 * reducer sums its words and, once every mapper has retired, reports its totals.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkInteger, show } from './check.js';

type Pair = readonly [word: string, count: number];

export interface WordCountOptions {
  readonly mappers: number;
  readonly reducers: number;
}

/** The words of a text: maximal runs of letters and digits, lower-cased. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function owner(word: string, reducers: number): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return (h >>> 0) % reducers;
}

export const feed = process('kit.wordcount.documents', async (docs: readonly string[], out: Writer<string>) => {
  for (const d of docs) await out.write(d);
});

export const mapper = process('kit.wordcount.mapper', async (docs: Reader<string>, reducers: readonly Writer<Pair>[]) => {
  for await (const doc of docs) {
    const counts = new Map<string, number>();
    for (const w of words(doc)) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, c] of counts) await (reducers[owner(w, reducers.length)] as Writer<Pair>).write([w, c]);
  }
});

export const reducer = process('kit.wordcount.reducer', async (pairs: Reader<Pair>, out: Writer<Pair>) => {
  const totals = new Map<string, number>();
  for await (const [w, c] of pairs) totals.set(w, (totals.get(w) ?? 0) + c);
  for (const pair of totals) await out.write(pair);
});

export const collect = process('kit.wordcount.collect', async (from: Reader<Pair>, into: Map<string, number>) => {
  for await (const [w, c] of from) into.set(w, c);
});

/** The processes of the map-reduce, under their stable names (what a worker registers). */
export const wordCountProcesses = { feed, mapper, reducer, collect };

/**
 * Word count of `docs` as a network: the feed, `options.mappers` mapper replicas and
 * `options.reducers` reducers may run in workers; `collect`, on main, sets each word's total in
 * `into`.
 */
export function wordCountNetwork(docs: readonly string[], options: WordCountOptions, into: Map<string, number>): Network {
  checkArray('wordCountNetwork', 'docs', docs);
  docs.forEach((d, i) => {
    if (typeof d !== 'string') throw new TypeError(`wordCountNetwork: docs[${i}] must be a string, got ${show(d)}`);
  });
  if (typeof options !== 'object' || options === null) throw new TypeError('wordCountNetwork: options must be an object { mappers, reducers }');
  checkInteger('wordCountNetwork', 'options.mappers', options.mappers, 1);
  checkInteger('wordCountNetwork', 'options.reducers', options.reducers, 1);
  if (!(into instanceof Map)) throw new TypeError(`wordCountNetwork: into must be a Map, got ${show(into)}`);
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

/** Word counts of `docs`, sorted by word: `wordCountNetwork` run in this thread. */
export async function wordCount(docs: readonly string[], options: WordCountOptions): Promise<[string, number][]> {
  const counts = new Map<string, number>();
  await run(wordCountNetwork(docs, options, counts), { runtime: local() });
  return sortedCounts(counts);
}

/** The sequential reference. */
export function wordCountReference(docs: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of words(d)) counts.set(w, (counts.get(w) ?? 0) + 1);
  return sortedCounts(counts);
}

/** The entries of a count map sorted by word (to compare with the reference). */
export function sortedCounts(counts: ReadonlyMap<string, number>): [string, number][] {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
