export { primeSieve, primesUpTo } from './prime-sieve.js';
export { oddEvenSort, sortReference } from './odd-even-sort.js';
export { mergeSortTree } from './merge-sort-tree.js';
export { prefixSums, prefixSumsReference } from './prefix-sums.js';
export { systolicMultiply, multiplyReference, type Matrix } from './systolic-matmul.js';
export { farm, type FarmResult } from './farm.js';
export { monteCarloPi, monteCarloPiReference, piTaskHits, type PiOptions, type PiEstimate } from './monte-carlo-pi.js';
export { integrate, integrateReference, type IntegrateOptions } from './integrate.js';
export { wordCount, wordCountReference, words, type WordCountOptions } from './word-count.js';
export {
  dine,
  dineReference,
  neighboursNeverEatTogether,
  type DiningOptions,
  type DiningResult,
  type DiningEvent,
  type PhilosopherStrategy,
} from './dining-philosophers.js';
export { bank, bankReference, type Transfer, type BankResult } from './bank.js';
export { producerConsumer, producedItems, type Item, type ProducerConsumerOptions } from './producer-consumer.js';
export { seededRandom } from './rng.js';
