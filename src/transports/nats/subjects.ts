/**
 * The subjects of one run, all under its own namespace `<prefix>.run.<run>`: two runs on one server
 * never see each other's messages. This is separation, not isolation — anyone allowed to
 * subscribe to `<prefix>.>` sees every run; use NATS accounts and permissions for isolation.
 *
 * Every token placed in a subject is checked: a name with a dot, a wildcard or a space would
 * address other subjects.
 */

const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws RangeError unless `value` is a safe subject token (letters, digits, `_`, `-`; 1–64). */
export function checkToken(what: string, value: string): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new RangeError(`${what} must be 1–64 letters, digits, '_' or '-' (it becomes a NATS subject token), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The subjects every worker under `prefix` listens on, whatever the run. */
export class WorkerSubjects {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = checkToken('subject prefix', prefix);
  }

  /** Runners ask here who is available; every worker answers. */
  get discover(): string {
    return `${this.prefix}.discover`;
  }

  /** `cspflow inspect` asks here what runs where; every worker and every runner answers. */
  get inspect(): string {
    return `${this.prefix}.inspect`;
  }

  /** A runner asks worker `id` to join a run here. */
  join(id: string): string {
    return `${this.prefix}.worker.${checkToken('worker id', id)}.join`;
  }

  /** A runner asks worker `id`, in one of its runs, to open a direct route to another worker of it here. */
  route(id: string): string {
    return `${this.prefix}.worker.${checkToken('worker id', id)}.route`;
  }
}

export class RunSubjects {
  readonly root: string;

  constructor(prefix: string, run: string) {
    this.root = `${checkToken('subject prefix', prefix)}.run.${checkToken('run id', run)}`;
  }

  /** Where `to` receives link datagrams from `from`. */
  link(to: string, from: string): string {
    return `${this.root}.link.${checkToken('peer id', to)}.${checkToken('peer id', from)}`;
  }

  /** Everything `me` receives on links (one subscription per peer). */
  links(me: string): string {
    return `${this.root}.link.${checkToken('peer id', me)}.*`;
  }
}
