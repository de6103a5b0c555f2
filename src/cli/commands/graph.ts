/** `cspflow graph <module> [args...] --format mermaid|dot|json`: the picture of a network module, on stdout. */
import { networkGraph, toDot, toMermaid } from '../../index.js';
import type { CommandSpec } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { loadNetwork } from '../load-network.js';

export const graphCommand: CommandSpec = {
  name: 'graph',
  summary: 'print a picture of a network module (Mermaid, Graphviz DOT or JSON)',
  help: ['Examples:', '  cspflow graph ./pipeline.js > pipeline.mmd', '  cspflow graph ./pipeline.js --format dot | dot -Tsvg > pipeline.svg'].join('\n'),
  arguments: [
    { name: '<module>', description: 'the network module (a file path)' },
    { name: '[args...]', description: 'arguments for the module\'s default export, when it is a function' },
  ],
  options: [{ flags: '--format <format>', description: 'what to print', default: 'mermaid', choices: ['mermaid', 'dot', 'json'] }],
  async run(args, options, io) {
    const [path, extra] = args as [string, string[]];
    const { net } = await loadNetwork(path, extra, io.cwd);
    const format = options['format'];
    const text = format === 'dot' ? toDot(net) : format === 'json' ? JSON.stringify(networkGraph(net), null, 2) : toMermaid(net);
    io.stdout.write(`${text}\n`);
    return EXIT.ok;
  },
};
