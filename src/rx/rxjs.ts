/** The one file that imports rxjs (an optional peer dependency of cspflow/rx). */
export { Observable, type Observer, type Subscribable, type Unsubscribable } from 'rxjs';
