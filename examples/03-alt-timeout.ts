/**
 * Alternation with a timeout: take whichever of two sources is ready, and give up waiting after
 * a while. Exactly one guard commits each time; the others are left untouched.
 *
 * Run: npx tsx --conditions=cspflow-source examples/03-alt-timeout.ts
 */
import { alt, chan, input, timeout } from 'cspflow';

const fast = chan<string>({ name: 'fast', buffer: 4 });
const slow = chan<string>({ name: 'slow' });
const fastOut = fast.writer();
await fastOut.write('first');
await fastOut.write('second');

const fastIn = fast.reader();
const slowIn = slow.reader();
for (;;) {
  const got = await alt([input(fastIn), input(slowIn), timeout(20)]);
  if (got.index === 2) {
    console.log('timed out: nothing more to read');
    break;
  }
  console.log(`from ${got.index === 0 ? 'fast' : 'slow'}: ${got.value}`);
}
