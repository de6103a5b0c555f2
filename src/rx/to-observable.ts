/**
 * `toObservable(reader)`: an Observable of the channel's values. Subscribing starts a process
 * (`toObservable`) that reads one value at a time and emits it; end-of-stream completes,
 * poison errors with the PoisonError. Unsubscribing withdraws the pending read (no value is
 * taken and lost: A2) and retires the reader end (R1), so upstream learns nobody reads.
 *
 * The Observable stands for the reader end: concurrent subscriptions share (compete for) its
 * values, and once a subscription has ended the end is retired, so a later subscription errors
 * with RetiredError. For several subscribers, multicast it (`share()`).
 */
import type { Reader } from '../core/ends.js';
import { expectReader } from '../ops/check.js';
import { isEndOfStream, launchOne } from '../ops/operator.js';
import { Observable } from './rxjs.js';

export function toObservable<T>(reader: Reader<T>): Observable<T> {
  expectReader('toObservable(reader)', 'reader', reader);
  return new Observable<T>((subscriber) => {
    const stopping = new AbortController();
    const signal = stopping.signal;
    launchOne('toObservable', [reader], [], async () => {
      while (!subscriber.closed) {
        let value: T;
        try {
          value = await reader.read({ signal });
        } catch (error) {
          if (signal.aborted) return;
          if (isEndOfStream(error)) subscriber.complete();
          else subscriber.error(error);
          return;
        }
        subscriber.next(value);
      }
    });
    return () => {
      stopping.abort(new Error('unsubscribed'));
      reader.retire();
    };
  });
}
