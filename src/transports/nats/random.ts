/** Identifiers that must not repeat: a run's id (a subject token) and a link's session (u32 > 0). */

export function newRunId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function newSession(): number {
  const [n] = globalThis.crypto.getRandomValues(new Uint32Array(1));
  return (n as number) || 1;
}
