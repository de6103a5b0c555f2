/**
 * Codec benchmark: what the default codec's contract (a check before encoding, msgpackr in
 * structured-clone mode) costs against the configuration it replaced (msgpackr maps, no check)
 * and against V8's serializer (the clone codec's engine), on the payloads a thread transport
 * moves: a batch of 256 numbers, a batch of 64 small records, one small record. Every case runs
 * in this one process, interleaved (each repetition runs every case once, in rotated order),
 * after a warm-up; each run encodes and decodes (with another instance, as across threads) and
 * checks what came back.
 *
 *   npx tsx --conditions=cspflow-source bench/codec.ts [--reps=7]
 */
import { deserialize, serialize } from 'node:v8';
import { Packr } from 'msgpackr';
import { rejectUncarriable } from '../src/codec/codec.js';
import { msgpackCodec } from '../src/codec/msgpack.js';
import { median } from './stats.js';

interface Case {
  readonly name: string;
  readonly encode: (v: unknown) => Uint8Array;
  readonly decode: (b: Uint8Array) => unknown;
}

const ours = [msgpackCodec(), msgpackCodec()] as const;
const oldOptions = { useRecords: false, moreTypes: true, structuredClone: false };
const old = [new Packr(oldOptions), new Packr(oldOptions)] as const;
const sc = [new Packr({ structuredClone: true, useBigIntExtension: true }), new Packr({ structuredClone: true, useBigIntExtension: true })] as const;
const rec = [new Packr({ moreTypes: true, useBigIntExtension: true }), new Packr({ moreTypes: true, useBigIntExtension: true })] as const;
const cases: readonly Case[] = [
  { name: 'cspflow msgpack (contract: check + structured clone)', encode: (v) => ours[0].encodeMany?.(v as unknown[]) as Uint8Array, decode: (b) => ours[1].decodeMany?.(b) },
  {
    name: 'previous cspflow msgpack (maps, function/symbol check)',
    encode: (v) => {
      rejectUncarriable(v);
      return Uint8Array.prototype.slice.call(old[0].pack(v));
    },
    decode: (b) => old[1].unpack(b),
  },
  { name: 'msgpackr structuredClone, no check', encode: (v) => Uint8Array.prototype.slice.call(sc[0].pack(v)), decode: (b) => sc[1].unpack(b) },
  { name: 'msgpackr records, no check', encode: (v) => Uint8Array.prototype.slice.call(rec[0].pack(v)), decode: (b) => rec[1].unpack(b) },
  { name: 'v8 serialize', encode: (v) => serialize(v), decode: (b) => deserialize(b) as unknown },
];

const payloads: Record<string, unknown[]> = {
  '256 numbers': Array.from({ length: 256 }, (_, i) => i * 1.5),
  '64 records': Array.from({ length: 64 }, (_, i) => ({ id: i, name: `item${i}`, tags: ['a', 'b'], price: i / 4 })),
  '1 record': [{ id: 1, name: 'one', ok: true }],
};

const args = process.argv.slice(2);
const reps = Number(/^--reps=(\d+)$/.exec(args.find((a) => a.startsWith('--reps=')) ?? '')?.[1] ?? 7);
const ROUNDS = 2_000;

function timeOnce(c: Case, payload: unknown[]): number {
  const t0 = process.hrtime.bigint();
  let last: unknown;
  for (let i = 0; i < ROUNDS; i++) last = c.decode(c.encode(payload));
  const ns = Number(process.hrtime.bigint() - t0);
  if (!Array.isArray(last) || last.length !== payload.length) throw new Error(`${c.name}: wrong result`);
  return ns / ROUNDS / 1000;
}

const names = Object.keys(payloads);
for (const p of names) for (const c of cases) timeOnce(c, payloads[p] as unknown[]);
const samples = new Map<string, number[]>();
for (let r = 0; r < reps; r++) {
  for (const p of names) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length] as Case;
      const key = `${p}\u0000${c.name}`;
      samples.set(key, [...(samples.get(key) ?? []), timeOnce(c, payloads[p] as unknown[])]);
    }
  }
}
console.log(`Median of ${reps} interleaved repetitions of ${ROUNDS} encode+decode round trips; µs per round trip; × = over the previous options.\n`);
console.log('| payload | codec | median µs | × previous |');
console.log('|---|---|--:|--:|');
for (const p of names) {
  const base = median(samples.get(`${p}\u0000${(cases[1] as Case).name}`) ?? []);
  for (const c of cases) {
    const m = median(samples.get(`${p}\u0000${c.name}`) ?? []);
    console.log(`| ${p} | ${c.name} | ${m.toFixed(2)} | ${(m / base).toFixed(2)} |`);
  }
}
