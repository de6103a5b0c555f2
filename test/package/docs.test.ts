/**
 * Every doc stands on its own (issue 8): each relative link and each repository path a doc
 * names exists in this repository, and no doc points at a file outside it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function markdown(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdown(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

const docs = ['README.md', 'bench/README.md', ...markdown('docs')];

describe.each(docs)('%s', (doc) => {
  const text = readFileSync(join(root, doc), 'utf8');

  it('links only to files that exist inside the repository', () => {
    const missing: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target as string)) continue;
      const path = resolve(root, dirname(doc), target as string);
      if (relative(root, path).startsWith('..') || !existsSync(path)) missing.push(target as string);
    }
    expect(missing).toEqual([]);
  });

  it('names only repository paths that exist', () => {
    const missing: string[] = [];
    for (const [, path] of text.matchAll(/(?<![\w./-])((?:src|docs|examples|test|bench)\/[\w./-]*\w\.(?:ts|js|md|cjs))/g)) {
      if (!existsSync(join(root, path as string))) missing.push(path as string);
    }
    expect(missing).toEqual([]);
  });

  it('points at nothing outside the repository', () => {
    expect(text).not.toMatch(/DESIGN\.md|STYLE\.md|\.\.\/shared|\/work\//);
  });
});
