/**
 * Exclusive use of an embedded (PGlite) data directory by one process. Two processes on one
 * directory would each run their own Postgres over the same files and corrupt them, so the
 * first takes `<dir>.lock` (created exclusively, holding its pid) and any other gets a clear
 * error naming that process. A lock whose process is gone (killed, crashed) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
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
      const fd = openSync(lockPath, 'wx');
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
      if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
    } catch {
      // already gone
    }
  };
  process.once('exit', release);
  return release;
}
