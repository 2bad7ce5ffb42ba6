/**
 * Keeps ARCHITECTURE.md's room table true: every file's relative imports may only reach the
 * rooms its own room is allowed to import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/run.ts';

const ALLOWED: Record<string, string[]> = {
  engines: [],
  db: [],
  core: ['engines', 'db'],
  'mcp-server': ['core'],
  agent: ['core', 'mcp-server'],
  api: ['core', 'mcp-server', 'agent'],
  scripts: ['core', 'db'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const roomOf = (file: string): string => relative(ROOT, file).split('/')[0]!;

/** Benchmarks measure every room directly, like tests; they are not CLI commands. */
const EXEMPT = ['scripts/bench/'];

describe('architecture', () => {
  it('no room imports a room it may not', () => {
    const violations: string[] = [];
    for (const room of Object.keys(ALLOWED)) {
      let list: string[] = [];
      try {
        list = files(join(ROOT, room));
      } catch {
        continue;
      }
      for (const file of list) {
        if (EXEMPT.some((e) => relative(ROOT, file).startsWith(e))) continue;
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
          const target = roomOf(resolve(dirname(file), (m[1] ?? m[2])!));
          if (target !== room && !ALLOWED[room]!.includes(target)) violations.push(`${relative(ROOT, file)} imports ${target}/`);
        }
      }
    }
    expect(violations).toEqual([]);
  });
});
