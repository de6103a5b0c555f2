/**
 * 10 — a file through a channel pipeline and back into a file: a Node read stream feeds a
 * channel (fromReadable), a fused pipeline upper-cases each chunk and counts the lines, and a
 * Readable made from the output channel (toReadable) is piped into a write stream. Back-pressure
 * holds end to end: a slow disk pauses the pipeline, which pauses the read stream.
 *
 *   npx tsx --conditions=cspflow-source examples/10-file-stream-pipeline.ts
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argv } from 'node:process';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { fromReadable, map, pipeline, toReadable } from 'cspflow';

/** Copies `from` to `to` upper-cased, through channels; returns how many lines went through. */
export async function shout(from: string, to: string): Promise<number> {
  let lines = 0;
  const chunks = fromReadable<string>(createReadStream(from, { encoding: 'utf8', highWaterMark: 64 }), { buffer: 4 });
  const loud = pipeline(
    chunks,
    map((chunk: string) => {
      lines += chunk.split('\n').length - 1;
      return chunk.toUpperCase();
    }),
    { buffer: 4 },
  );
  await streamPipeline(toReadable(loud, { highWaterMark: 4 }), createWriteStream(to));
  return lines;
}

if (argv[1] !== undefined && import.meta.url === pathToFileURL(argv[1]).href) {
  const dir = await mkdtemp(join(tmpdir(), 'cspflow-10-'));
  try {
    const from = join(dir, 'in.txt');
    const to = join(dir, 'out.txt');
    await writeFile(from, Array.from({ length: 200 }, (_, i) => `line ${i} of a quiet file`).join('\n') + '\n');
    const lines = await shout(from, to);
    const out = await readFile(to, 'utf8');
    console.log(`${lines} lines copied; first: ${out.split('\n')[0]}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
