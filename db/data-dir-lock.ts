/**
 * Exclusive use of an embedded (PGlite) data directory by one process. Two processes on one
 * directory would each run their own Postgres over the same files and corrupt them, so the
 * first takes `<dir>.lock` (created exclusively, holding its pid) and any other gets a clear
 * error naming that process. A lock whose process is gone (killed, crashed) is taken over.
 * A server holding the directory may add a line of JSON after the pid (`recordDataDirHolder`:
 * its URL and a key for local clients), so `npm run mcp` can reach it instead of opening the
 * files; the file is readable by its owner only.
 */
import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(
      `the embedded database ${dir} is in use by process ${pid} (another \`npm start\`, \`npm run mcp\` or CLI): stop it first, ` +
        `give this process its own PGLITE_DIR, or use Postgres (DATABASE_URL); if no such process exists, delete ${lockPath}`,
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `dir` for this process; returns its release. @throws DataDirInUseError */
export function lockDataDir(dir: string): () => void {
  const lockPath = `${resolve(dir)}.lock`;
  const mine = String(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      } catch {
        // vanished or unreadable between the two calls: try once more
      }
      if ((holder > 0 && alive(holder)) || attempt > 0) throw new DataDirInUseError(dir, holder, lockPath);
      try {
        unlinkSync(lockPath);
      } catch {
        // another process took it over first; the retry reports it
      }
    }
  }
  const release = () => {
    process.removeListener('exit', release);
    try {
      if (readFileSync(lockPath, 'utf8').split('\n')[0] === mine) unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}

/** The live holder of `dir`'s lock and what it recorded, or null when the directory is free. */
export function readDataDirLock(dir: string): { pid: number; lockPath: string; info: Record<string, unknown> | null } | null {
  const lockPath = `${resolve(dir)}.lock`;
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  const [first = '', rest = ''] = text.split(/\n(.*)/s);
  const pid = Number.parseInt(first, 10);
  if (!(pid > 0) || !alive(pid)) return null;
  let info: Record<string, unknown> | null = null;
  try {
    info = rest ? (JSON.parse(rest) as Record<string, unknown>) : null;
  } catch {
    // being written: read again later
  }
  return { pid, lockPath, info };
}

/** Records `info` (JSON) in the lock this process holds on `dir`; false when it holds none. */
export function recordDataDirHolder(dir: string, info: Record<string, unknown>): boolean {
  const lockPath = `${resolve(dir)}.lock`;
  const mine = String(process.pid);
  try {
    if (readFileSync(lockPath, 'utf8').split('\n')[0] !== mine) return false;
    const next = `${lockPath}.${mine}`;
    writeFileSync(next, `${mine}\n${JSON.stringify(info)}`, { mode: 0o600 });
    renameSync(next, lockPath); // readers never see a half-written lock
    return true;
  } catch {
    return false;
  }
}
