/** The task of example 14: the words of one line of text, counted. */
import { task } from 'cspflow/futures';

export const countWords = task('scoop.wordcount.count', (line: string) => {
  const counts: Record<string, number> = {};
  for (const word of line.toLowerCase().match(/[a-z']+/g) ?? []) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
});
