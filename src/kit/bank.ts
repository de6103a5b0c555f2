/**
 * Bank transfers: each account is a process that owns its balance and serves one request at a
 * time (withdraw succeeds only if the money is there; deposit always does); clients run their
 * transfers as "withdraw from A, then, if that succeeded, deposit to B". Money is never created
 * or lost, and no balance goes negative, whatever the interleaving.
 */
import { chan, type Channel } from '../core/chan.js';
import type { Reader, Writer } from '../core/ends.js';
import { par, process } from '../core/process.js';
import { network, type Network } from '../runtime/network.js';

export interface Transfer {
  readonly from: number;
  readonly to: number;
  readonly amount: number;
}

export interface BankResult {
  readonly balances: number[];
  /** The transfers that went through, per client, in the order each client made them. */
  readonly done: Transfer[][];
}

interface Request {
  readonly client: number;
  readonly op: 'withdraw' | 'deposit';
  readonly amount: number;
}

interface Final {
  readonly account: number;
  readonly balance: number;
}

export const account = process(
  'account',
  async (id: number, balance: number, requests: Reader<Request>, replies: readonly Writer<boolean>[], out: Writer<Final>) => {
    let held = balance;
    for await (const r of requests) {
      const ok = r.op === 'deposit' || held >= r.amount;
      if (ok) held += r.op === 'deposit' ? r.amount : -r.amount;
      await (replies[r.client] as Writer<boolean>).write(ok);
    }
    await out.write({ account: id, balance: held });
  },
);

export const client = process(
  'client',
  async (id: number, transfers: readonly Transfer[], requests: readonly Writer<Request>[], replies: readonly Reader<boolean>[], done: Transfer[]) => {
    const ask = async (acct: number, op: Request['op'], amount: number): Promise<boolean> => {
      await (requests[acct] as Writer<Request>).write({ client: id, op, amount });
      return (replies[acct] as Reader<boolean>).read();
    };
    for (const t of transfers) {
      if (!(await ask(t.from, 'withdraw', t.amount))) continue;
      await ask(t.to, 'deposit', t.amount);
      done.push(t);
    }
  },
);

export const gather = process('gather', async (from: Reader<Final>, into: number[]) => {
  for await (const f of from) into[f.account] = f.balance;
});

/** Runs every client's transfers concurrently against account processes. */
export async function bank(initial: readonly number[], clients: readonly (readonly Transfer[])[]): Promise<BankResult> {
  const requests: Channel<Request>[] = initial.map((_, a) => chan<Request>({ name: `acct${a}` }));
  // replies[a][c]: account a answers client c.
  const replies: Channel<boolean>[][] = initial.map((_, a) => clients.map((_, c) => chan<boolean>({ name: `acct${a}->c${c}` })));
  const out = chan<Final>({ name: 'balances' });
  const balances = new Array<number>(initial.length).fill(0);
  const done: Transfer[][] = clients.map(() => []);
  const accounts = initial.map((b, a) => account(a, b, requests[a]!.reader(), replies[a]!.map((r) => r.writer()), out.writer()));
  const tellers = clients.map((ts, c) =>
    client(c, ts, requests.map((r) => r.writer()), replies.map((row) => row[c]!.reader()), done[c] as Transfer[]),
  );
  await par(accounts, tellers, gather(out.reader(), balances));
  return { balances, done };
}

/**
 * The same bank as a declared network for `cspflow/threads`: the accounts run in workers; the
 * clients (which record into `result.done`) and the final gather (into `result.balances`) on main.
 */
export function bankNetwork(initial: readonly number[], clients: readonly (readonly Transfer[])[], result: BankResult): Network {
  return network((net) => {
    const requests = initial.map((_, a) => net.channel<Request>(`acct${a}`));
    const replies = initial.map((_, a) => clients.map((_, c) => net.channel<boolean>(`acct${a}->c${c}`)));
    const out = net.channel<Final>('balances');
    initial.forEach((b, a) => net.spawn(account(a, b, requests[a]!.reader(), replies[a]!.map((r) => r.writer()), out.writer())));
    clients.forEach((ts, c) =>
      net.spawn(client(c, ts, requests.map((r) => r.writer()), replies.map((row) => row[c]!.reader()), result.done[c] as Transfer[]), { place: 'main' }),
    );
    net.spawn(gather(out.reader(), result.balances), { place: 'main' });
  });
}

/** The balances after applying exactly `done` transfers to `initial`: what the bank must end with. */
export function bankReference(initial: readonly number[], done: readonly (readonly Transfer[])[]): number[] {
  const balances = [...initial];
  for (const list of done) {
    for (const t of list) {
      balances[t.from]! -= t.amount;
      balances[t.to]! += t.amount;
    }
  }
  return balances;
}
