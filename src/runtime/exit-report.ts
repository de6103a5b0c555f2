/**
 * The exit report. When Node's event loop has drained by itself while cspflow operations are
 * still pending — processes blocked forever while the main program holds an end, a read whose
 * only way out is an unref'd AbortSignal.timeout(), the main program awaiting a read nobody will
 * satisfy — nothing can complete them any more, and Node would exit silently (code 0, or 13 for
 * an unsettled top-level await). Instead this prints what waits on what to stderr and sets the
 * exit code to 1.
 *
 * 'beforeExit' is emitted only when the loop drains by itself, never on process.exit() or a
 * crash, which is exactly the silent case. The listener is added once, when the root entry
 * (`cspflow`) is loaded; it reads the core's read-only pending report of the runtime in force.
 *
 * Invariant: at most one report per thread (writing it may re-arm the loop, e.g. in a worker,
 * where stderr is forwarded asynchronously: 'beforeExit' then comes again).
 */
import process from 'node:process';
import { pendingReport, pendingText } from '../core/pending.js';
import { currentRuntime } from '../core/runtime.js';

/** Adds the 'beforeExit' listener to `host` (the Node process). */
function installExitReport(host: NodeJS.Process): void {
  let reported = false;
  const onBeforeExit = (): void => {
    if (reported) return;
    const report = pendingReport(currentRuntime());
    if (report === null) return;
    reported = true;
    host.stderr.write(`${pendingText(report)}\n`);
    if (host.exitCode === undefined || host.exitCode === 0) host.exitCode = 1;
  };
  host.on('beforeExit', onBeforeExit);
}

installExitReport(process);
