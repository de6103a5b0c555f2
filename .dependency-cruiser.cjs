/**
 * Import rules (DESIGN.md §4): layers point down only, no cycles, src never imports test,
 * and each third-party or Node-specific module is imported by exactly one file.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment: 'core (channels, alt, processes, errors) knows nothing of threads, NATS, codecs or Node.',
      from: { path: '^src/core/' },
      to: { pathNot: '^src/core/' },
    },
    {
      name: 'src-not-to-test',
      severity: 'error',
      comment: 'Library code never imports tests, examples or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|examples|bench)/' },
    },
    {
      name: 'remote-layer-neutral',
      severity: 'error',
      comment:
        'The remote layer (homes, proxies, protocol, links) sits on core and codec only: no worker_threads, no network module, no NATS client, no transport, runtime or upper layer. The one exception: the module loader shared by every worker loads TypeScript modules through tsx.',
      from: { path: '^src/remote/', pathNot: '^src/remote/load-modules\\.ts$' },
      to: { pathNot: '^src/(core|codec|remote)/' },
    },
    {
      name: 'tsx-in-one-file',
      severity: 'error',
      comment: 'tsx (TypeScript modules in workers) is loaded by the shared module loader, and by the thread worker entry when cspflow itself runs from source.',
      from: { path: '^src/', pathNot: '^src/(remote/load-modules\\.ts|transports/threads/worker-entry\\.js)$' },
      to: { path: 'node_modules/tsx/' },
    },
    {
      name: 'transports-independent',
      severity: 'error',
      comment: 'A transport never imports another transport.',
      from: { path: '^src/transports/([^/]+)/' },
      to: { path: '^src/transports/', pathNot: '^src/transports/$1/' },
    },
    {
      name: 'lower-layers-not-to-upper',
      severity: 'error',
      comment: 'codec, the remote layer and transports sit below runtime, futures, rx, testing, kit and cli.',
      from: { path: '^src/(codec|remote|transports)/' },
      to: { path: '^src/(runtime|futures|rx|testing|kit|cli)/' },
    },
    {
      name: 'kit-not-to-testing',
      severity: 'error',
      comment: 'The algorithm kit is library code; the testing kit tests it, not the other way round.',
      from: { path: '^src/kit/' },
      to: { path: '^src/testing/' },
    },
    {
      name: 'kit-runtime-neutral',
      severity: 'error',
      comment: 'Kit networks run on any runtime: the kit declares networks and runs them on local(), and never imports a transport or the thread runtime.',
      from: { path: '^src/kit/' },
      to: { path: '^src/(transports|threads)/|^src/runtime/threads\\.ts$' },
    },
    {
      name: 'fast-check-only-in-testing',
      severity: 'error',
      comment: 'fast-check is a peer dependency of cspflow/testing alone.',
      from: { path: '^src/', pathNot: '^src/testing/' },
      to: { path: 'node_modules/fast-check/' },
    },
    {
      name: 'msgpackr-in-one-file',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/codec/msgpack\\.ts$' },
      to: { path: 'node_modules/msgpackr/' },
    },
    {
      name: 'worker-threads-in-one-file',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/transports/threads/node-threads\\.ts$' },
      to: { path: '^worker_threads$|^node:worker_threads$' },
    },
    {
      name: 'nats-client-in-one-file',
      severity: 'error',
      comment: 'The NATS client is imported by the NATS transport\'s connection file only.',
      from: { path: '^src/', pathNot: '^src/transports/nats/nats-client\\.ts$' },
      to: { path: 'node_modules/@nats-io/' },
    },
    {
      name: 'server-processes-in-one-file',
      severity: 'error',
      comment: 'Starting nats-server processes (child_process, raw sockets, HTTP polling) is the test harness\'s job alone.',
      from: { path: '^src/', pathNot: '^src/testing/nats-server\\.ts$' },
      to: { path: '^(node:)?(child_process|net|http)$' },
    },
    {
      name: 'remote-is-transport-neutral',
      severity: 'error',
      comment: 'The remote layer knows no transport: no threads, sockets, NATS or child processes.',
      from: { path: '^src/remote/' },
      to: { path: '^src/(transports|runtime|testing|kit|cli)/|^(node:)?(worker_threads|net|http|child_process)$|node_modules/@nats-io/' },
    },
    {
      name: 'codec-below-remote',
      severity: 'error',
      comment: 'codec knows nothing of the remote layer or of transports.',
      from: { path: '^src/codec/' },
      to: { path: '^src/(remote|transports)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['cspflow-source', 'import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
