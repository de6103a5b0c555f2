#!/usr/bin/env node
/** The `cspflow` command line: one file per command under commands/, registered here. */
import { Command, CommanderError } from 'commander';
import { workerCommand } from './commands/worker.js';
import { EXIT } from './exit-codes.js';

const program = new Command('cspflow').description('CSP for Node: run networks, join NATS as a worker').exitOverride();
workerCommand(program);

try {
  await program.parseAsync(globalThis.process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    globalThis.process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    globalThis.process.stderr.write(`cspflow: ${error instanceof Error ? error.message : String(error)}\n`);
    globalThis.process.exitCode = EXIT.failed;
  }
}
