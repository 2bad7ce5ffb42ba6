/**
 * Keeps ARCHITECTURE.md's import rules true: every file's relative imports may only reach the
 * rooms its own room is allowed to import, and no file reaches back to itself through its
 * imports (no cycle between files, whether inside a room or across rooms).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/**
 * Relative specifiers of `import … from`, `export … from`, side-effect `import '…'` and dynamic
 * `import('…')`. `import type` counts too: a type cycle is still a cycle between files.
 */
const IMPORT_RE =
  /(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT_RE)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** The source file a specifier names: as written, with `.ts`, or as a folder's `index.ts`. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  return [base, `${base}.ts`, join(base, 'index.ts')].find((p) => p.endsWith('.ts') && existsSync(p) && statSync(p).isFile());
}

function roomFiles(room: string): string[] {
  const dir = join(ROOT, room);
  return existsSync(dir) ? files(dir) : [];
}

/** Tarjan's strongly connected components; returns the components with a cycle in them. */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** One cycle through a component, from its first file in sort order, as `a.ts -> b.ts -> a.ts`. */
function describeCycle(scc: string[], graph: Map<string, string[]>): string {
  const members = new Set(scc);
  const start = [...scc].sort()[0]!;
  // Breadth-first search for the shortest way from start back to start inside the component.
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.unshift(u);
        path.unshift(start);
        const rest = scc.length > path.length - 1 ? ` (component of ${scc.length}: ${[...scc].sort().join(', ')})` : '';
        return path.join(' -> ') + rest;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return start;
}

describe('architecture', () => {
  it('no room imports a room it may not', () => {
    const violations: string[] = [];
    for (const room of Object.keys(ALLOWED)) {
      for (const file of roomFiles(room)) {
        if (EXEMPT.some((e) => relative(ROOT, file).startsWith(e))) continue;
        for (const spec of relativeImports(file)) {
          const target = roomOf(resolve(dirname(file), spec));
          if (target !== room && !ALLOWED[room]!.includes(target)) violations.push(`${relative(ROOT, file)} imports ${target}/`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const room of Object.keys(ALLOWED)) {
      for (const file of roomFiles(room)) {
        const from = relative(ROOT, file);
        const targets = relativeImports(file)
          .map((spec) => resolveImport(file, spec))
          .filter((p): p is string => p !== undefined)
          .map((p) => relative(ROOT, p));
        graph.set(from, [...new Set(targets)]);
      }
    }
    expect(graph.size).toBeGreaterThan(100);
    const cycles = cyclicComponents(graph).map((scc) => describeCycle(scc, graph)).sort();
    expect(cycles).toEqual([]);
  });
});
