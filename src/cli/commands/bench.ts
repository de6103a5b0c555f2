/**
 * `cspflow bench`: a small built-in micro-benchmark (micro-bench.ts) for the user's machine:
 * cspflow's channels beside a minimal promise channel, as medians and ratios. The repository's
 * full suite (peers, threads) lives in bench/, which is not shipped: `npm run bench` in a checkout.
 */
import type { CommandSpec } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { runBench } from '../micro-bench.js';
import { integerOption } from '../parse.js';

export const benchCommand: CommandSpec = {
  name: 'bench',
  summary: 'measure cspflow\'s channels on this machine (a small built-in micro-benchmark)',
  help: [
    'Runs commstime (a ring of four processes over rendezvous channels) and a stream through a buffer of 1024,',
    'cspflow beside a minimal promise channel, interleaved, and prints the median ns per operation and the ratio.',
    'The full suite with other libraries and worker threads is in the repository (npm run bench).',
  ].join('\n'),
  arguments: [],
  options: [
    { flags: '--reps <n>', description: 'repetitions of each case', default: '5' },
    { flags: '--quick', description: 'a tenth of the sizes (a check that it runs, not a measurement)' },
    { flags: '--json', description: 'print the results as JSON' },
  ],
  async run(_args, options, io) {
    const reps = integerOption('--reps', options['reps'], 1);
    const scale = options['quick'] === true ? 10 : 1;
    const sizes = { commstime: 100_000 / scale, stream: 500_000 / scale };
    const results = await runBench(sizes, reps, (done) => io.stderr.write(`repetition ${done}/${reps} done\n`));
    if (options['json'] === true) {
      io.stdout.write(`${JSON.stringify({ node: globalThis.process.version, reps, results }, null, 2)}\n`);
      return EXIT.ok;
    }
    const floor = new Map(results.filter((r) => r.library === 'floor').map((r) => [r.scenario, r.median]));
    io.stdout.write(`Node ${globalThis.process.version}; median of ${reps} interleaved repetitions; ns per communication (commstime) or per value (stream); lower is better.\n\n`);
    io.stdout.write('| scenario | library | N | median ns/op | × floor |\n|---|---|--:|--:|--:|\n');
    for (const r of results) {
      const ratio = r.median / (floor.get(r.scenario) ?? r.median);
      io.stdout.write(`| ${r.scenario} | ${r.library} | ${r.n.toLocaleString('en-US')} | ${r.median.toFixed(1)} | ${ratio.toFixed(2)} |\n`);
    }
    return EXIT.ok;
  },
};
