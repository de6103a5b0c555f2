/** Text about servers, safe to print: credentials in URLs (`nats://user:pass@host`) are hidden. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');
}
