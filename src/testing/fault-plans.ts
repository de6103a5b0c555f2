/**
 * Fault plans: "poison end X before step k", "retire end Y before step k", "the process holding
 * end Z crashes before step k" (its end is poisoned with an Error, as when a process dies).
 * A plan is data (it shrinks and prints); `scheduledFaults` turns it into RunOptions.faults.
 */
import type fc from 'fast-check';
import { fastCheck } from './fast-check.js';
import { CspflowError } from '../core/errors.js';
import type { ScheduledFault } from './run-scheduled.js';
import type { FaultTarget } from './network-arbs.js';

export type FaultKind = 'poison' | 'retire' | 'crash';

export interface Fault {
  readonly kind: FaultKind;
  /** Index into the targets given to scheduledFaults (taken modulo their number). */
  readonly target: number;
  /** Before which scheduler step (1-based) it strikes. */
  readonly step: number;
}

export type FaultPlan = readonly Fault[];

export interface FaultPlanArbOptions {
  readonly kinds?: readonly FaultKind[];
  readonly maxFaults?: number;
  readonly maxStep?: number;
}

export function faultPlanArb(options: FaultPlanArbOptions = {}): fc.Arbitrary<FaultPlan> {
  const fc = fastCheck('faultPlanArb()');
  return fc.array(
    fc.record({
      kind: fc.constantFrom(...(options.kinds ?? ['poison', 'retire', 'crash'])),
      target: fc.nat({ max: 63 }),
      step: fc.integer({ min: 1, max: options.maxStep ?? 60 }),
    }),
    { maxLength: options.maxFaults ?? 2 },
  );
}

/** The error a crash poisons with. */
export class InjectedFault extends CspflowError {
  override readonly name = 'InjectedFault';
  readonly code = 'ERR_CSPFLOW_INJECTED_FAULT';
}

/**
 * RunOptions.faults for `plan`. `targets` is a function because the network's ends exist only
 * once runScheduled has called the network function.
 */
export function scheduledFaults(plan: FaultPlan, targets: () => readonly FaultTarget[]): ScheduledFault[] {
  return plan.map((f) => ({
    step: f.step,
    label: `${f.kind} #${f.target}`,
    act: () => {
      const all = targets();
      if (all.length === 0) return;
      const t = all[f.target % all.length] as FaultTarget;
      if (f.kind === 'retire') t.retire();
      else if (f.kind === 'poison') t.poison('injected');
      else t.poison(new InjectedFault(`crash of the process holding ${t.name} (before step ${f.step})`));
    },
  }));
}
