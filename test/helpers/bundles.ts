/**
 * The entry files the end-to-end tests start as child processes (`npm start`, `npm run batch`, …),
 * bundled once per run by esbuild so a child runs `node <bundle>.mjs` instead of compiling the
 * TypeScript tree through tsx's loader on every start (test/global-setup.ts builds them,
 * test/helpers/run.ts `entryArgs` picks them).
 *
 * - Packages stay external (imported from node_modules as at run time), so the bundles are written
 *   under node_modules/.cache, where Node's package lookup finds the project's node_modules.
 * - `import.meta.url`, `import.meta.dirname` and `import.meta.filename` are replaced in each source
 *   file by that file's own location, so paths resolved relative to a module (bundled market data,
 *   migrations, the seed, package.json, web assets, createRequire) point where they do under tsx.
 * - Code splitting keeps a dynamic `import()` a separate module evaluated when it runs
 *   (mcp-server/stdio.ts changes directory before importing the server).
 * An entry that fails to bundle is left out; the tests start it through tsx as before.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** Entry files (relative to the repository root) the tests spawn. */
export const BUNDLED_ENTRIES = [
  'api/main.ts',
  'mcp-server/stdio.ts',
  'scripts/batch.ts',
  'scripts/chat.ts',
  'scripts/check-db.ts',
  'scripts/create-user.ts',
  'scripts/db-reset.ts',
  'scripts/import.ts',
  'scripts/market-data.ts',
  'scripts/mcp-claude.ts',
  'scripts/portfolios.ts',
  'scripts/seed.ts',
];

/** Entry file → absolute path of its bundle. */
export type EntryBundles = Record<string, string>;

const moduleLocation: Plugin = {
  name: 'module-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
      const url = JSON.stringify(pathToFileURL(args.path).href);
      const contents = readFileSync(args.path, 'utf8')
        .replace(/\bimport\.meta\.url\b/g, url)
        .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
        .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path));
      return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

async function build(root: string, outdir: string, entries: string[]): Promise<EntryBundles> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => ({ in: e, out: e.replace(/\.ts$/, '') })),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    plugins: [moduleLocation],
    logLevel: 'silent',
  });
  return Object.fromEntries(entries.map((e) => [e, join(outdir, e.replace(/\.ts$/, '.mjs'))]));
}

/**
 * Bundles the entries into a new directory under node_modules/.cache; returns the bundles and a
 * function removing them. All entries in one build (shared chunks); if that fails, each on its own,
 * leaving out the ones that fail.
 */
export async function bundleEntries(root: string, runId: string): Promise<{ bundles: EntryBundles; remove: () => void }> {
  const dir = join(root, 'node_modules', '.cache', 'sigmasight-test-bundles', runId);
  mkdirSync(dir, { recursive: true });
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    return { bundles: await build(root, dir, BUNDLED_ENTRIES), remove };
  } catch {
    const bundles: EntryBundles = {};
    for (const entry of BUNDLED_ENTRIES) {
      try {
        Object.assign(bundles, await build(root, join(dir, `single-${entry.replace(/\W/g, '_')}`), [entry]));
      } catch {
        // this entry runs through tsx
      }
    }
    return { bundles, remove };
  }
}
