#!/usr/bin/env node
/** The `cspflow` executable (package.json `bin`): runs the CLI on this process's arguments and exits with its code. */
import { main } from './cli.js';

const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
// Exit once what was written has been flushed, even if the module run left a timer behind.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
