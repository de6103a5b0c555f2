import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { processLogs } from '../../examples/09-log-fan-in-fan-out.js';
import { shout } from '../../examples/10-file-stream-pipeline.js';
import { alertsFor } from '../../examples/11-rxjs-network.js';
import { runExample } from './run-example.js';

describe('examples 09–11: operators and bridges', () => {
  it('09 merges three logs, broadcasts them to alerts and a batched archive', async () => {
    const { alerts, archive } = await processLogs();
    expect(alerts).toEqual(['ALERT api: timeout calling billing', 'ALERT billing: card declined']);
    expect(archive.map((b) => b.length)).toEqual([4, 4]);
    expect(await runExample('09-log-fan-in-fan-out.ts')).toBe('ALERT api: timeout calling billing\nALERT billing: card declined\narchived 8 lines in 2 batches\n');
  });

  it('10 copies a temp file upper-cased through a channel pipeline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cspflow-test-10-'));
    try {
      const text = Array.from({ length: 500 }, (_, i) => `line ${i}: ünïcode and more`).join('\n') + '\n';
      await writeFile(join(dir, 'in.txt'), text);
      expect(await shout(join(dir, 'in.txt'), join(dir, 'out.txt'))).toBe(500);
      expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe(text.toUpperCase());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(await runExample('10-file-stream-pipeline.ts')).toBe('200 lines copied; first: LINE 0 OF A QUIET FILE\n');
  });

  it('11 feeds an Observable through a network and back', async () => {
    expect(await alertsFor(from([20, 40, 50]))).toEqual(['too hot: 104°F', 'too hot: 122°F']);
    expect(await runExample('11-rxjs-network.ts')).toBe('too hot: 104°F\ntoo hot: 101.3°F\ntoo hot: 113°F\n');
  });
});
