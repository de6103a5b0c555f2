/**
 * Where task items wait while their farm worker already runs `concurrency` items that are not
 * parked. `open()` wakes every waiter; each checks again (a woken waiter that starts an item
 * does so synchronously, so the next one sees it).
 */
export class Gate {
  private waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  open(): void {
    if (this.waiters.length === 0) return;
    for (const wake of this.waiters.splice(0)) wake();
  }
}
