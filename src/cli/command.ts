/**
 * What a CLI command is: a plain description (name, arguments, options, help) and the function
 * that runs it. main.ts turns each into a commander command; a command file never imports the
 * parser, so adding one is a new file under commands/ and one line in commands/index.ts.
 */
import type { ExitCode } from './exit-codes.js';

export interface ArgumentSpec {
  /** `<module>` (required), `[args...]` (optional, variadic). */
  readonly name: string;
  readonly description: string;
}

export interface OptionSpec {
  /** As commander writes them: `--workers <n>`, `--inspect [port]`, `--json`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string | boolean;
  readonly choices?: readonly string[];
}

/** Where a command writes, and what it knows of its surroundings. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Shown after the options in `--help`: what it does in detail, examples. */
  readonly help?: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: readonly OptionSpec[];
  /** Runs with the parsed arguments (in order; a variadic one as an array) and options; resolves with the exit code. */
  run(args: readonly unknown[], options: Readonly<Record<string, unknown>>, io: CliIo): Promise<ExitCode>;
}
