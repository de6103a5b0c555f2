/**
 * Every command of the CLI: one line each (`cspflow --help` lists them alphabetically). Adding a
 * command is a new file beside this one and one line here.
 */
export { benchCommand } from './bench.js';
export { graphCommand } from './graph.js';
export { inspectCommand } from './inspect.js';
export { replayCommand } from './replay.js';
export { runCommand } from './run.js';
export { workerCommand } from './worker.js';
