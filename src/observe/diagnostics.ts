/**
 * The bridge to Node's `diagnostics_channel` (the only importer of it): one named channel per
 * event type, `cspflow:<type>` — `cspflow:process:start`, `cspflow:channel:poison`, … — as undici
 * names its own (`undici:request:create`). A subscriber receives the event object itself.
 *
 * Publishing costs one `hasSubscribers` check per event when nobody subscribes; the hub asks
 * `operationsWanted()` before it even builds the per-operation events.
 */
import diagnostics from 'node:diagnostics_channel';
import { EVENT_TYPES, type CspflowEvent, type CspflowEventType } from './events.js';

/** The diagnostics channel name of an event type. */
export function channelName(type: CspflowEventType): string {
  return `cspflow:${type}`;
}

/** Publishes events on the diagnostics channels; made once per observed runtime. */
export class DiagnosticsPublisher {
  private readonly channels = new Map<CspflowEventType, diagnostics.Channel>(EVENT_TYPES.map((t) => [t, diagnostics.channel(channelName(t))]));
  private readonly block = this.channels.get('process:block') as diagnostics.Channel;
  private readonly resume = this.channels.get('process:resume') as diagnostics.Channel;

  publish(event: CspflowEvent): void {
    const channel = this.channels.get(event.type);
    if (channel !== undefined && channel.hasSubscribers) channel.publish(event);
  }

  /** True while someone listens to blocks or resumes (the events made on every waiting operation). */
  operationsWanted(): boolean {
    return this.block.hasSubscribers || this.resume.hasSubscribers;
  }
}

/** True when any `cspflow:*` diagnostics channel has a subscriber (a run started now is then observed). */
export function anySubscribed(): boolean {
  return EVENT_TYPES.some((t) => diagnostics.hasSubscribers(channelName(t)));
}
