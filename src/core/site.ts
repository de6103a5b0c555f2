/**
 * Where a process was defined: the file of the code that called `process(name, fn)`, so that a
 * name given to two different bodies (in two files) can be told apart from one body seen twice —
 * within a network, and between the main thread and a worker that registered the name from its
 * own modules. The stack is captured when the factory is made (cheap) and read only when asked.
 *
 * The site is a path (file: URLs are turned into paths, so that loaders agree); '' when the
 * stack does not say.
 */

/** A definition site to read later: captured by `captureSite()` inside process(). */
export interface SiteCell {
  readonly site: string;
}

/** Captures the caller of the caller of this function (the code calling process()). */
export function captureSite(): SiteCell {
  const captured = new Error();
  let site: string | null = null;
  return {
    get site(): string {
      site ??= siteOf(captured.stack ?? '');
      return site;
    },
  };
}

/** The file of the third frame (this module's captureSite, process(), then the definer). */
function siteOf(stack: string): string {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const frame = frames[2];
  if (frame === undefined) return '';
  const where = /\(?((?:file:\/\/)?[^()\s]+?):\d+:\d+\)?$/.exec(frame.trim());
  if (where === null) return '';
  const file = where[1] as string;
  if (!file.startsWith('file://')) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return file;
  }
}
