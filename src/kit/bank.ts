/**
 * Bank transfers: each account is a process that owns its balance and serves one request at a
 * time (withdraw succeeds only if the money is there; deposit always does); clients run their
 * transfers as "withdraw from A, then, if that succeeded, deposit to B". Money is never created
 * or lost, and no balance goes negative, whatever the interleaving.
 */
import type { Reader, Writer } from '../core/ends.js';
import { process } from '../core/process.js';
import { local } from '../runtime/local.js';
import { network, type Network } from '../runtime/network.js';
import { run } from '../runtime/run.js';
import { checkArray, checkFinite, checkInteger } from './check.js';

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
  'kit.bank.account',
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
  'kit.bank.client',
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

export const gather = process('kit.bank.gather', async (from: Reader<Final>, into: number[]) => {
  for await (const f of from) into[f.account] = f.balance;
});

/** The processes of the bank, under their stable names (what a worker registers). */
export const bankProcesses = { account, client, gather };

function checkArgs(initial: readonly number[], clients: readonly (readonly Transfer[])[], result: BankResult): void {
  const where = 'bankNetwork';
  checkArray(where, 'initial', initial);
  initial.forEach((b, a) => checkFinite(where, `initial[${a}]`, b, 0));
  checkArray(where, 'clients', clients);
  clients.forEach((transfers, c) => {
    checkArray(where, `clients[${c}]`, transfers);
    transfers.forEach((t, i) => {
      const at = `clients[${c}][${i}]`;
      if (typeof t !== 'object' || t === null) throw new TypeError(`${where}: ${at} must be a transfer { from, to, amount }`);
      checkInteger(where, `${at}.from`, t.from, 0);
      checkInteger(where, `${at}.to`, t.to, 0);
      for (const side of ['from', 'to'] as const) {
        if (t[side] >= initial.length) throw new RangeError(`${where}: ${at}.${side} must name an account (0..${initial.length - 1}), got ${t[side]}`);
      }
      checkFinite(where, `${at}.amount`, t.amount, 0);
    });
  });
  if (typeof result !== 'object' || result === null || !Array.isArray(result.balances) || !Array.isArray(result.done)) {
    throw new TypeError(`${where}: result must be an object { balances: number[], done: Transfer[][] }`);
  }
}

/**
 * The bank as a network: the accounts may run in workers; the clients (which record the transfers
 * that went through into `result.done[c]`, made if missing) and the final gather (into
 * `result.balances`) run on main.
 */
export function bankNetwork(initial: readonly number[], clients: readonly (readonly Transfer[])[], result: BankResult): Network {
  checkArgs(initial, clients, result);
  return network((net) => {
    const requests = initial.map((_, a) => net.channel<Request>(`acct${a}`));
    // replies[a][c]: account a answers client c.
    const replies = initial.map((_, a) => clients.map((_, c) => net.channel<boolean>(`acct${a}->c${c}`)));
    const out = net.channel<Final>('balances');
    initial.forEach((b, a) => net.spawn(account(a, b, requests[a]!.reader(), replies[a]!.map((r) => r.writer()), out.writer())));
    clients.forEach((transfers, c) => {
      const done = (result.done[c] ??= []);
      net.spawn(client(c, transfers, requests.map((r) => r.writer()), replies.map((row) => row[c]!.reader()), done), { place: 'main' });
    });
    // With no accounts nobody writes `balances`: a gather would wait on it forever.
    if (initial.length > 0) net.spawn(gather(out.reader(), result.balances), { place: 'main' });
  });
}

/** Runs every client's transfers concurrently against account processes: `bankNetwork` in this thread. */
export async function bank(initial: readonly number[], clients: readonly (readonly Transfer[])[]): Promise<BankResult> {
  const result: BankResult = { balances: [], done: [] };
  await run(bankNetwork(initial, clients, result), { runtime: local() });
  return result;
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
