/**
 * A deterministic Scheduler: wake-ups are queued and run one at a time, in an order its
 * ChoiceSource decides; alt's fair choices come from the same source; timers run on virtual time.
 *
 * State:
 *   queue   wake-ups (and timers that have come due) waiting to run
 *   timers  armed timers not yet due, by due time then arming order
 *   idle    whenIdle tasks, run once the queue is empty
 *   now     virtual time in ms; moves only when the queue and idle list are empty (or, with
 *           `timers: 'eager'`, when the source chooses "let time pass")
 *
 * Invariants:
 * - every recorded choice was made among n >= 2 options; `choices` replays the run exactly;
 * - a cancelled timer is in neither `timers` nor `queue`;
 * - timers in `timers` have due > now, or the scheduler is between steps.
 *
 * `step()` is driven by runScheduled; tests rarely call it themselves.
 */
import type { Scheduler } from '../core/scheduler.js';
import { checkOptions, invalidArgument } from '../core/validate.js';
import { encodeChoices, ScriptedChoices, seededChoices, decodeChoices, type ChoiceSource } from './choices.js';
import type { TraceEntry } from './trace.js';

/** When a timer may fire. */
export type TimerPolicy =
  /** Only once nothing else can run (the default): time is long next to computation. */
  | 'when-idle'
  /** At any step, as one more option of the decision: explores timeouts racing with messages. */
  | 'eager';

export interface TestSchedulerOptions {
  readonly timers?: TimerPolicy;
}

interface Task {
  readonly run: () => void;
  readonly label: string;
  readonly kind: 'wake' | 'timer';
}

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly ms: number;
  readonly fire: () => void;
  /** Set once the timer has come due and sits in the queue. */
  queued: Task | null;
}

/** What one step did. */
export type StepResult = 'ran' | 'idle' | 'time' | 'quiet';

export class TestScheduler implements Scheduler {
  proceed(): boolean {
    return false;
  }

  private source: ChoiceSource;
  private queue: Task[] = [];
  private timers: Timer[] = [];
  private idle: (() => void)[] = [];
  private timerSeq = 0;
  now = 0;
  /** Every decision made so far, in order (only real choices, n >= 2). */
  choices: number[] = [];
  /** The number of options of each decision, parallel to `choices`. */
  options: number[] = [];
  /** Every wake-up run so far. */
  trace: TraceEntry[] = [];

  constructor(
    private readonly makeSource: () => ChoiceSource,
    readonly settings: TestSchedulerOptions = {},
    /** How this scheduler was made, for reports: `seed 42`, `replay "..."`, `fast-check`. */
    readonly origin: string = 'custom',
  ) {
    this.source = makeSource();
  }

  /** A scheduler whose decisions come from a PRNG seeded with `seed`. */
  static seeded(seed: number, options?: TestSchedulerOptions): TestScheduler {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw invalidArgument(typeof seed === 'number' ? 'range' : 'type', 'TestScheduler.seeded(seed, options)', 'seed', seed, 'an integer', 'The seed a failing run printed is one.');
    }
    checkSchedulerOptions('TestScheduler.seeded(seed, options)', options);
    return new TestScheduler(() => seededChoices(seed), options, `seed ${seed}`);
  }

  /** A scheduler that makes exactly the recorded decisions `choices` (then chooses 0). */
  static scripted(choices: readonly number[], options?: TestSchedulerOptions): TestScheduler {
    if (!Array.isArray(choices) || !choices.every((c) => Number.isInteger(c) && c >= 0)) {
      throw invalidArgument('type', 'TestScheduler.scripted(choices, options)', 'choices', choices, 'an array of integers >= 0', 'Use scheduleFromString(replay) with a replay string a run printed.');
    }
    checkSchedulerOptions('TestScheduler.scripted(choices, options)', options);
    return new TestScheduler(() => new ScriptedChoices(choices), options, `replay "${encodeChoices(choices)}"`);
  }

  /** The seed, when decisions come from a seeded PRNG. */
  get seed(): number | undefined {
    return this.source.seed;
  }

  /** True when a scripted run asked for a choice its script could not make (the network changed). */
  get diverged(): boolean {
    return this.source instanceof ScriptedChoices && this.source.diverged;
  }

  /** The replay string of the decisions made so far: `scheduleFromString(replay)` repeats them. */
  get replay(): string {
    return encodeChoices(this.choices);
  }

  /** Forgets the last run: a fresh source, empty queues, time 0. runScheduled calls it first. */
  reset(): void {
    this.source = this.makeSource();
    this.queue = [];
    this.timers = [];
    this.idle = [];
    this.now = 0;
    this.choices = [];
    this.options = [];
    this.trace = [];
  }

  // ---- Scheduler ----------------------------------------------------------------------------

  wake(task: () => void, label: string): void {
    this.queue.push({ run: task, label, kind: 'wake' });
  }

  pick(n: number): number {
    return this.decide(n);
  }

  setTimer(ms: number, fire: () => void): () => void {
    const timer: Timer = { due: this.now + ms, seq: this.timerSeq++, ms, fire, queued: null };
    let at = this.timers.length;
    while (at > 0 && (this.timers[at - 1] as Timer).due > timer.due) at--;
    this.timers.splice(at, 0, timer);
    return () => {
      const i = this.timers.indexOf(timer);
      if (i >= 0) this.timers.splice(i, 1);
      else if (timer.queued !== null) {
        const q = this.queue.indexOf(timer.queued);
        if (q >= 0) this.queue.splice(q, 1);
      }
    };
  }

  whenIdle(task: () => void): void {
    this.idle.push(task);
  }

  // ---- driving ------------------------------------------------------------------------------

  /** Wake-ups waiting to run. */
  get pending(): number {
    return this.queue.length;
  }

  /** Timers armed and not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Does one thing: runs one queued wake-up (chosen), or else the idle tasks, or else moves
   * virtual time to the next timer and queues the timers then due; 'quiet' if there is nothing.
   */
  step(): StepResult {
    const eager = this.settings.timers === 'eager' && this.timers.length > 0;
    if (this.queue.length > 0) {
      const i = this.decide(this.queue.length + (eager ? 1 : 0));
      if (i === this.queue.length) {
        this.advance();
        return 'time';
      }
      const [task] = this.queue.splice(i, 1) as [Task];
      this.trace.push({ step: this.trace.length + 1, time: this.now, kind: task.kind, label: task.label });
      task.run();
      return 'ran';
    }
    if (this.idle.length > 0) {
      const tasks = this.idle;
      this.idle = [];
      for (const t of tasks) t();
      return 'idle';
    }
    if (this.timers.length > 0) {
      this.advance();
      return 'time';
    }
    return 'quiet';
  }

  /** Moves time to the first timer's due time and queues every timer due then. */
  private advance(): void {
    const first = this.timers[0] as Timer;
    this.now = Math.max(this.now, first.due);
    while (this.timers.length > 0 && (this.timers[0] as Timer).due <= this.now) {
      const timer = this.timers.shift() as Timer;
      const task: Task = { run: timer.fire, label: `timer ${timer.ms}ms`, kind: 'timer' };
      timer.queued = task;
      this.queue.push(task);
    }
  }

  private decide(n: number): number {
    if (n <= 1) return 0;
    const c = this.source.choose(n);
    this.choices.push(c);
    this.options.push(n);
    return c;
  }

  toString(): string {
    const seed = this.seed === undefined ? '' : `seed: ${this.seed}, `;
    return `TestScheduler(${seed}replay: "${this.replay}")`;
  }
}

/** A scheduler that replays a printed schedule exactly: `scheduleFromString("1,0*3,2")`. */
function checkSchedulerOptions(call: string, options: unknown): void {
  checkOptions(call, 'options', options, ['timers']);
  const timers = (options as TestSchedulerOptions | undefined)?.timers;
  if (timers !== undefined && timers !== 'when-idle' && timers !== 'eager') throw invalidArgument('type', call, 'options.timers', timers, '"when-idle" or "eager" (or left out)');
}

export function scheduleFromString(replay: string, options?: TestSchedulerOptions): TestScheduler {
  return TestScheduler.scripted(decodeChoices(replay), options);
}
