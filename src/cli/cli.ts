/**
 * The `cspflow` command line (main.ts starts it): builds one commander command per CommandSpec (commands/index.ts),
 * parses, runs, and exits with the code the command returned (exit-codes.ts). Usage errors are
 * exit code 2 with commander's message; a CliError is its code with its message; anything else is
 * a bug in cspflow or in the module run, reported with its stack, exit code 1. The only importer
 * of commander.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { CliIo, CommandSpec } from './command.js';
import * as commands from './commands/index.js';
import { CliError, EXIT, type ExitCode } from './exit-codes.js';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The program, with `exit` receiving the code of whatever ran. */
export function program(io: CliIo, exit: (code: ExitCode) => void): Command {
  const root = new Command('cspflow')
    .description('CSP for Node: run, picture, replay and measure cspflow networks')
    .version(version(), '-V, --version')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const spec of Object.values(commands) as CommandSpec[]) root.addCommand(toCommander(spec, io, exit));
  return root;
}

function toCommander(spec: CommandSpec, io: CliIo, exit: (code: ExitCode) => void): Command {
  const cmd = new Command(spec.name).description(spec.summary).exitOverride().showHelpAfterError('(add --help for usage)');
  cmd.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const a of spec.arguments) cmd.argument(a.name, a.description);
  for (const o of spec.options) {
    const option = new Option(o.flags, o.description);
    if (o.default !== undefined) option.default(o.default);
    if (o.choices !== undefined) option.choices(o.choices);
    cmd.addOption(option);
  }
  if (spec.help !== undefined) cmd.addHelpText('after', `\n${spec.help}`);
  cmd.action(async (...received: unknown[]) => {
    const args = received.slice(0, spec.arguments.length);
    const options = (received[spec.arguments.length] ?? {}) as Record<string, unknown>;
    exit(await spec.run(args, options, io));
  });
  return cmd;
}

/** Runs the CLI on `argv` (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  try {
    await program(io, (c) => (code = c)).parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr.write(`cspflow: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`cspflow: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  }
}
