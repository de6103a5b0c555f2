/**
 * The task of example 13: how many of `samples` seeded random points in the unit square fall in
 * the quarter circle. Each task has its own seed, so the total does not depend on who ran what.
 */
import { task } from 'cspflow/futures';
import { seededRandom } from 'cspflow/kit';

export const hits = task('scoop.pi.hits', ({ seed, samples }: { seed: number; samples: number }) => {
  const random = seededRandom(seed);
  let inside = 0;
  for (let i = 0; i < samples; i++) {
    const x = random();
    const y = random();
    if (x * x + y * y <= 1) inside++;
  }
  return inside;
});
