/**
 * cspflow/kit: classic concurrent algorithms, each declared once as a network (`…Network`) that
 * runs unchanged on `local()` or `threads({ modules: [kitModule] })`, with an in-process
 * convenience function that runs that same network in this thread, and a sequential reference.
 * Every kit process is named `kit.<algorithm>.<role>`, so the kit loads into a worker beside any
 * other module whose names stay out of `kit.`.
 */
export { primeSieve, primeSieveNetwork, primesUpTo, primeSieveProcesses } from './prime-sieve.js';
export { oddEvenSort, oddEvenSortNetwork, sortReference, oddEvenSortProcesses } from './odd-even-sort.js';
export { mergeSortTree, mergeSortTreeNetwork, mergeSortTreeProcesses } from './merge-sort-tree.js';
export { prefixSums, prefixSumsNetwork, prefixSumsReference, prefixSumsProcesses } from './prefix-sums.js';
export { systolicMultiply, systolicNetwork, multiplyReference, systolicProcesses, type Matrix } from './systolic-matmul.js';
export { farm, type FarmResult } from './farm.js';
export {
  monteCarloPi,
  monteCarloPiNetwork,
  monteCarloPiReference,
  piTaskHits,
  monteCarloPiProcesses,
  type PiOptions,
  type PiEstimate,
  type PiTally,
} from './monte-carlo-pi.js';
export {
  integrate,
  integrateNetwork,
  integrateReference,
  integrands,
  integrateProcesses,
  type IntegrateOptions,
  type Integrand,
  type IntegrandName,
} from './integrate.js';
export { wordCount, wordCountNetwork, wordCountReference, sortedCounts, words, wordCountProcesses, type WordCountOptions } from './word-count.js';
export {
  dine,
  dineNetwork,
  dineReference,
  neighboursNeverEatTogether,
  diningProcesses,
  type DiningOptions,
  type DiningResult,
  type DiningEvent,
  type PhilosopherStrategy,
} from './dining-philosophers.js';
export { bank, bankNetwork, bankReference, bankProcesses, type Transfer, type BankResult } from './bank.js';
export { producerConsumer, producerConsumerNetwork, producedItems, producerConsumerProcesses, type Item, type ProducerConsumerOptions } from './producer-consumer.js';
export { seededRandom } from './rng.js';

/**
 * The URL of this module: give it to `threads({ modules: [kitModule] })` and the workers can run
 * every kit process (the `…Processes` tables above are what they register).
 */
export const kitModule: string = import.meta.url;
