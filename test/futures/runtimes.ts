/** The runtimes every futures behaviour is tested on. */
import { local, type Runtime } from 'cspflow';
import { threads } from 'cspflow/threads';
import { tasksModule } from './fixtures/tasks.js';

export const runtimes: readonly (readonly [string, (size?: number) => Runtime])[] = [
  ['local', () => local()],
  ['threads', (size = 2) => threads({ size, modules: [tasksModule] })],
];
