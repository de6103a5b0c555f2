export { toObservable } from './to-observable.js';
export { fromObservable, type FromObservableOptions, type FromObservableChannelOptions, type Overflow } from './from-observable.js';
export { OverflowError } from './errors.js';
