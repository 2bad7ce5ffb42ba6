/**
 * `npm run mcp:claude [-- --user EMAIL] [--name sigmasight] [--env KEY=VALUE …] [--config PATH] [--print]`:
 * writes SigmaSight's entry into Claude Desktop's `claude_desktop_config.json` (macOS
 * ~/Library/Application Support/Claude, Windows %APPDATA%\Claude, Linux ~/.config/Claude) with
 * absolute paths: the project's pinned Node binary, tsx's loader and mcp-server/stdio.ts, since
 * Claude Desktop starts servers without the shell's PATH (often no npm or node on it). Other
 * entries and settings in the file are kept, and the file is backed up first. `--print` only
 * prints the entry. The server runs in the project directory, so `.env` applies as for `npm start`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readEnv } from '../core/env.ts';

const USAGE = 'usage: npm run mcp:claude -- [--user EMAIL] [--name NAME] [--env KEY=VALUE …] [--config PATH] [--print]';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_USER = 'demo_individual@sigmasight.com';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(1);
}

/** Where Claude Desktop reads its configuration on this platform. */
export function claudeConfigPath(platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  if (platform === 'win32') return join(home, 'AppData', 'Roaming', 'Claude', 'claude_desktop_config.json');
  return join(home, '.config', 'Claude', 'claude_desktop_config.json');
}

/** The pinned Node binary of the `node` dev dependency (bin/node, or bin/node.exe on Windows). */
function pinnedNode(): string {
  const pkgDir = join(ROOT, 'node_modules', 'node');
  let bin = 'bin/node';
  try {
    bin = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { bin?: { node?: string } }).bin?.node ?? bin;
  } catch {
    fail('node_modules/node is missing: run npm install in the project first');
  }
  const path = resolve(pkgDir, bin);
  if (!existsSync(path)) fail(`the pinned Node binary ${path} is missing: run npm install in the project first`);
  return path;
}

export interface ServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

function entryFor(env: Record<string, string>): ServerEntry {
  const loader = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
  if (!existsSync(loader)) fail(`tsx's loader ${loader} is missing: run npm install in the project first`);
  // --import takes a URL on Windows (a drive letter is not a scheme); a plain absolute path elsewhere
  const importArg = process.platform === 'win32' ? pathToFileURL(loader).href : loader;
  return { command: pinnedNode(), args: ['--import', importArg, join(ROOT, 'mcp-server', 'stdio.ts')], env };
}

let args;
try {
  args = parseArgs({ options: { user: { type: 'string' }, name: { type: 'string', default: 'sigmasight' }, env: { type: 'string', multiple: true, default: [] }, config: { type: 'string' }, print: { type: 'boolean', default: false } } }).values;
} catch (err) {
  fail((err as Error).message);
}

let configuredUser: string | undefined;
try {
  configuredUser = readEnv().SIGMASIGHT_USER;
} catch {
  // an invalid .env is npm run mcp's to report; the entry still names a user
}
const env: Record<string, string> = { SIGMASIGHT_USER: args.user ?? configuredUser ?? DEFAULT_USER };
for (const pair of args.env) {
  const at = pair.indexOf('=');
  if (at < 1) fail(`--env ${pair}: expected KEY=VALUE`);
  env[pair.slice(0, at)] = pair.slice(at + 1);
}
const entry = entryFor(env);

if (args.print) {
  console.log(JSON.stringify({ mcpServers: { [args.name]: entry } }, null, 2));
  process.exit(0);
}

const path = resolve(args.config ?? claudeConfigPath());
let config: Record<string, unknown> = {};
let backup: string | null = null;
if (existsSync(path)) {
  const text = readFileSync(path, 'utf8');
  try {
    config = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch (err) {
    fail(`${path} is not valid JSON (${(err as Error).message}); fix or move it, then run this again`);
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) fail(`${path} does not hold a JSON object`);
  backup = `${path}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
  copyFileSync(path, backup);
}
const servers = (config['mcpServers'] && typeof config['mcpServers'] === 'object' ? config['mcpServers'] : {}) as Record<string, unknown>;
const replaced = args.name in servers;
config['mcpServers'] = { ...servers, [args.name]: entry };
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);

console.log(`${replaced ? 'updated' : 'added'} the "${args.name}" MCP server in ${path}${backup ? ` (previous file kept as ${backup})` : ''}`);
console.log(`  acts for ${env['SIGMASIGHT_USER']}; bridges to npm start when it runs, opens the database itself otherwise`);
console.log('restart Claude Desktop to load it');
