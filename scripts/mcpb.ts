/**
 * `npm run mcpb [-- --out dist/sigmasight.mcpb]`: builds the SigmaSight MCP Bundle for one-click
 * install in Claude Desktop, with `@anthropic-ai/mcpb`. It stages the manifest (mcpb/manifest.json,
 * version from package.json), the server's code (mcp-server, core, engines, db, data) and its
 * production dependencies plus tsx (installed with npm from the lockfile, patches applied), then
 * validates and packs the directory. Claude Desktop runs it with its own Node; no npm is needed.
 * Native modules are those of the building machine, so the bundle names this platform only:
 * build it on the platform (macOS, Windows, Linux) that installs it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAGE = join(ROOT, 'dist', 'mcpb');
/** What the stdio server needs at run time (architecture: mcp-server imports core, core imports engines and db). */
const RUNTIME_DIRS = ['mcp-server', 'core', 'engines', 'db', 'data', 'patches', 'mcpb'];
const MCPB_CLI = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');

function fail(message: string): never {
  process.stderr.write(`error: ${message}\nusage: npm run mcpb [-- --out PATH]\n`);
  process.exit(1);
}

function run(command: string, args: string[], cwd: string): void {
  const r = spawnSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  if (r.status !== 0) fail(`${command} ${args.join(' ')} failed (${r.error?.message ?? `status ${r.status}`})`);
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

let args;
try {
  args = parseArgs({ options: { out: { type: 'string' } } }).values;
} catch (err) {
  fail((err as Error).message);
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const out = resolve(args.out ?? join(ROOT, 'dist', `sigmasight-${pkg.version}.mcpb`));

rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
for (const dir of RUNTIME_DIRS) cpSync(join(ROOT, dir), join(STAGE, dir), { recursive: true });
// the MCP Apps views, from the console build (brought up to date first; the bundle installs without esbuild)
run(process.execPath, ['--import', 'tsx', join(ROOT, 'api', 'routes', 'web', 'build.ts')], ROOT);
cpSync(join(ROOT, 'web', 'dist', 'apps'), join(STAGE, 'web', 'dist', 'apps'), { recursive: true });
cpSync(join(ROOT, 'package-lock.json'), join(STAGE, 'package-lock.json'));
const tsx = pkg.devDependencies['tsx'];
if (!tsx) fail('tsx is missing from devDependencies');
const stagedPkg = { name: pkg.name, version: pkg.version, private: true, type: 'module', license: pkg.license, engines: pkg.engines, dependencies: { ...pkg.dependencies, tsx } };
writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify(stagedPkg, null, 2)}\n`);

const manifest = JSON.parse(readFileSync(join(ROOT, 'mcpb', 'manifest.json'), 'utf8')) as Record<string, unknown> & { compatibility: Record<string, unknown> };
delete manifest['$schema'];
manifest['version'] = pkg.version;
manifest.compatibility = { ...manifest.compatibility, platforms: [process.platform] };
writeFileSync(join(STAGE, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
rmSync(join(STAGE, 'mcpb', 'manifest.json'));

// install scripts stay off (as in the project); the one patch is applied explicitly
run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], STAGE);
run(process.execPath, [join(ROOT, 'node_modules', 'patch-package', 'index.js')], STAGE);
rmSync(join(STAGE, 'patches'), { recursive: true, force: true });

run(process.execPath, [MCPB_CLI, 'validate', join(STAGE, 'manifest.json')], ROOT);
mkdirSync(dirname(out), { recursive: true });
run(process.execPath, [MCPB_CLI, 'pack', STAGE, out], ROOT);
console.log(`built ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB) for ${process.platform}; open it with Claude Desktop (Settings → Extensions) to install`);
