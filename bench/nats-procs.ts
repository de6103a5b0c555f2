/** Processes the NATS benchmark runs on `cspflow worker` processes (loaded by path). */
import { process, type Writer } from '../src/index.js';

/** Writes n blobs of `size` bytes, in writeMany batches of `batch` (1: one write per value). */
export const blobSource = process('bench-nats-blob-source', async (n: number, size: number, batch: number, out: Writer<Uint8Array>) => {
  const blob = new Uint8Array(size);
  if (batch === 1) {
    for (let i = 0; i < n; i++) await out.write(blob);
    return;
  }
  for (let i = 0; i < n; i += batch) await out.writeMany(new Array<Uint8Array>(Math.min(batch, n - i)).fill(blob));
});

export { farmWorker, ponger } from './threads-procs.js';
