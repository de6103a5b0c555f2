/** How busy this thread's event loop has been between two samples (Node's event loop utilisation). */
import type { EventLoopUtilization } from 'node:perf_hooks';

export class LoopMeter {
  private last: EventLoopUtilization = performance.eventLoopUtilization();

  /** The fraction of time the loop was busy since the previous sample (or since the meter was made). */
  sample(): number {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
    return busy;
  }
}
