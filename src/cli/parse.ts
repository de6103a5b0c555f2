/** Option values as the parser hands them over (strings), checked and converted; bad ones are usage errors. */
import { CliError, EXIT } from './exit-codes.js';

/** An integer >= min, from `--name <value>`. */
export function integerOption(name: string, value: unknown, min: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(EXIT.usage, `${name}: expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** A finite number >= min, from `--name <value>`. */
export function numberOption(name: string, value: unknown, min: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < min) throw new CliError(EXIT.usage, `${name}: expected a number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}
