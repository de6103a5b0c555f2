/**
 * `cspflow replay <test file> "<schedule>"`: re-runs a failing property with the schedule its
 * failure printed (`replay: "…"`). It runs vitest on that file (the project's own vitest) with
 * CSPFLOW_REPLAY set: every `schedulerArb()` then yields exactly that schedule instead of
 * generating one. A property with other generated inputs also needs its seed (--seed, set as
 * CSPFLOW_SEED, which `seededParams` reads). This file alone starts child processes in the CLI.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { decodeChoices } from '../../testing/choices.js';
import type { CommandSpec } from '../command.js';
import { CliError, EXIT } from '../exit-codes.js';
import { integerOption } from '../parse.js';

export const replayCommand: CommandSpec = {
  name: 'replay',
  summary: 're-run a failing property test with the schedule its failure printed',
  help: [
    'Runs `vitest run <test file>` from the current project with CSPFLOW_REPLAY=<schedule>: schedulerArb()',
    'then gives that one schedule. Add --seed when the property generates other inputs too (seededParams reads',
    'CSPFLOW_SEED), and -t to run only the failing test. The exit code is 0 if the tests pass, 1 if they fail.',
    '',
    'Example:',
    '  cspflow replay test/philosophers.test.ts "2,0*3,1" -t "dinner ends"',
  ].join('\n'),
  arguments: [
    { name: '<test file>', description: 'the vitest file holding the property' },
    { name: '<schedule>', description: 'the replay string the failure printed, e.g. "1,0*3,2"' },
  ],
  options: [
    { flags: '--seed <n>', description: 'the seed the failure printed (CSPFLOW_SEED), for the property\'s other inputs' },
    { flags: '-t, --test-name-pattern <pattern>', description: 'only tests whose name matches (passed to vitest)' },
  ],
  async run(args, options, io) {
    const [file, schedule] = args as [string, string];
    try {
      decodeChoices(schedule);
    } catch (error) {
      throw new CliError(EXIT.usage, `<schedule>: ${(error as Error).message}`);
    }
    const path = isAbsolute(file) ? file : resolve(io.cwd, file);
    if (!existsSync(path)) throw new CliError(EXIT.notFound, `no such test file: ${file} (looked for ${path})`);
    const seed = options['seed'] === undefined ? undefined : String(integerOption('--seed', options['seed'], 0));
    const vitest = findVitest(io.cwd);
    const pattern = options['testNamePattern'];
    const argv = [vitest, 'run', path, ...(typeof pattern === 'string' ? ['-t', pattern] : [])];
    const env = { ...io.env, CSPFLOW_REPLAY: schedule, ...(seed === undefined ? {} : { CSPFLOW_SEED: seed }) };
    io.stderr.write(`cspflow replay: vitest run ${file} with CSPFLOW_REPLAY="${schedule}"${seed === undefined ? '' : ` CSPFLOW_SEED=${seed}`}\n`);
    const code = await new Promise<number>((done, fail) => {
      const child = spawn(globalThis.process.execPath, argv, { cwd: io.cwd, env, stdio: 'inherit' });
      child.once('error', fail);
      child.once('exit', (status, signal) => done(signal === null ? (status ?? 1) : 1));
    });
    return code === 0 ? EXIT.ok : EXIT.failed;
  },
};

/** The vitest CLI of the project in `cwd` (or above it). */
function findVitest(cwd: string): string {
  let pkg: string;
  try {
    pkg = createRequire(join(cwd, 'package.json')).resolve('vitest/package.json');
  } catch (error) {
    throw new CliError(EXIT.notFound, `vitest is not installed in ${cwd}: replay runs your test file with your project's vitest (npm install -D vitest)`, { cause: error });
  }
  const bin = (JSON.parse(readFileSync(pkg, 'utf8')) as { bin?: string | Record<string, string> }).bin;
  const rel = typeof bin === 'string' ? bin : bin?.['vitest'];
  if (rel === undefined) throw new CliError(EXIT.notFound, `the vitest found at ${dirname(pkg)} names no CLI (package.json "bin")`);
  return join(dirname(pkg), rel);
}
