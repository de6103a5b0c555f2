/**
 * SCOOP's map-reduce: count the words of every line on the workers (map), merge the counts here
 * as they come back (reduce). The merge does not depend on the order results arrive in.
 *
 * Run: npx tsx --conditions=cspflow-source examples/14-scoop-map-reduce.ts
 */
import { futures } from 'cspflow/futures';
import { threads } from 'cspflow/threads';
import { countWords } from './14-word-count-tasks.js';

const text = [
  'the quick brown fox jumps over the lazy dog',
  'the dog barks and the fox runs',
  'a lazy afternoon for the dog',
  'quick quick said the fox',
];

function merge(total: Record<string, number>, counts: Record<string, number>): Record<string, number> {
  for (const [word, n] of Object.entries(counts)) total[word] = (total[word] ?? 0) + n;
  return total;
}

await using pool = futures({ runtime: threads({ size: 2, modules: [new URL('./14-word-count-tasks.ts', import.meta.url)] }), tasks: [countWords] });
const counts = await pool.mapReduce(countWords, merge, text, { initial: {} });
const top = Object.entries(counts)
  .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
  .slice(0, 4);
console.log(top.map(([word, n]) => `${word} ${n}`).join(', '));
