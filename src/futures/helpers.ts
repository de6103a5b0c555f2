/**
 * Waiting on several futures (or any promises): `gather` (all values, as Promise.all), `wait`
 * (split into done and pending, as Python's concurrent.futures.wait) and `asCompleted` (each
 * outcome as it settles).
 */
import { checkOptionalChoice, checkOptions, checkOptionalSignal, invalid } from './check.js';

/** Every value, in order; rejects with the first failure (Promise.all, under SCOOP's and asyncio's name). */
export function gather<T extends readonly unknown[] | []>(futures: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }>;
export function gather<T>(futures: Iterable<T | PromiseLike<T>>): Promise<Awaited<T>[]>;
export function gather(futures: Iterable<unknown>): Promise<unknown[]> {
  if (futures === null || typeof (futures as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
    return Promise.reject(invalid('type', 'gather(futures)', 'futures', futures, 'an iterable of futures or promises'));
  }
  return Promise.all(futures);
}

export interface WaitOptions {
  /** 'all' (default): until every one settles; 'first': until one settles; 'first-error': until one rejects or all settle. */
  readonly until?: 'all' | 'first' | 'first-error';
  /** Aborting returns the split as it stands (as a timeout does in Python's wait). */
  readonly signal?: AbortSignal;
}

export interface WaitResult<P> {
  /** The settled ones, in the order given. */
  readonly done: P[];
  /** The others, in the order given. */
  readonly pending: P[];
}

/** Waits until the condition of `options.until` holds, then splits `futures` into done and pending. */
export function wait<P extends PromiseLike<unknown>>(futures: Iterable<P>, options?: WaitOptions): Promise<WaitResult<P>> {
  const call = 'wait(futures, options)';
  try {
    if (futures === null || typeof (futures as Partial<Iterable<P>>)?.[Symbol.iterator] !== 'function') throw invalid('type', call, 'futures', futures, 'an iterable of futures or promises');
    checkOptions(call, options, ['until', 'signal']);
    checkOptionalChoice(call, 'options.until', options?.until, ['all', 'first', 'first-error']);
    checkOptionalSignal(call, 'options.signal', options?.signal);
  } catch (error) {
    return Promise.reject(error);
  }
  const list = [...futures];
  const until = options?.until ?? 'all';
  const signal = options?.signal;
  const settled = new Array<boolean>(list.length).fill(false);
  let count = 0;
  return new Promise<WaitResult<P>>((resolve) => {
    const finish = (): void => {
      signal?.removeEventListener('abort', finish);
      resolve({ done: list.filter((_, i) => settled[i]), pending: list.filter((_, i) => !settled[i]) });
    };
    const settle = (i: number, failed: boolean): void => {
      if (settled[i]) return;
      settled[i] = true;
      count++;
      if (count === list.length || until === 'first' || (until === 'first-error' && failed)) finish();
    };
    if (list.length === 0 || signal?.aborted) {
      finish();
      return;
    }
    signal?.addEventListener('abort', finish, { once: true });
    list.forEach((f, i) =>
      Promise.resolve(f).then(
        () => settle(i, false),
        () => settle(i, true),
      ),
    );
  });
}

/** One settled future, as `asCompleted` yields it: where it was in the list, and how it settled. */
export type Completed<T> = { readonly index: number } & PromiseSettledResult<T>;

/**
 * Yields each of `futures` as it settles, in the order they settle, as Promise.allSettled's
 * records with the future's index (a rejected one does not end the iteration).
 */
export function asCompleted<T>(futures: Iterable<T | PromiseLike<T>>): AsyncIterable<Completed<Awaited<T>>> {
  if (futures === null || typeof (futures as Partial<Iterable<T>>)?.[Symbol.iterator] !== 'function') {
    throw invalid('type', 'asCompleted(futures)', 'futures', futures, 'an iterable of futures or promises');
  }
  const list = [...futures];
  const order: Completed<Awaited<T>>[] = [];
  const waiters: (() => void)[] = [];
  list.forEach((f, index) => {
    const settled = (record: Completed<Awaited<T>>): void => {
      order.push(record);
      waiters.shift()?.();
    };
    Promise.resolve(f).then(
      (value) => settled({ index, status: 'fulfilled', value }),
      (reason: unknown) => settled({ index, status: 'rejected', reason }),
    );
  });
  let given = 0;
  return {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<Completed<Awaited<T>>>> => {
        if (given === list.length) return { done: true, value: undefined };
        if (order.length <= given) await new Promise<void>((resolve) => waiters.push(resolve));
        return { done: false, value: order[given++] as Completed<Awaited<T>> };
      },
    }),
  };
}
