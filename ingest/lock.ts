/**
 * @module One ingest at a time per index folder (the bot and the CLI may both try). The lock is
 * a file holding the owner's pid and start time, put in place with link(2) — atomic, and it fails
 * when the lock exists — so a competitor never sees a lock file that is still empty. A lock left
 * by a process that no longer runs is taken over; so is one whose pid now belongs to another
 * process (pids are reused), told apart by the start time where the OS shows it (Linux /proc).
 *
 * Not proper-lockfile: it tells a live lock by an mtime its owner refreshes on a timer, and an
 * ingest blocks the event loop for seconds at a time (building the HNSW graph), long enough for a
 * competitor to take the lock of a live run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/index.ts';

/** A lock file without a readable pid (written by a crashed or foreign tool) counts as stale after this. */
const UNREADABLE_LOCK_STALE_MS = 60_000;

/** Marks the lock file's start-time line. */
const START_PREFIX = 'start ';

/**
 * When process `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat), or
 * `undefined` where there is no /proc or the process is gone.
 */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2, the command name, is in parentheses and may itself hold spaces and ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(pid: number, startTime: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A lock written without a start time (another OS) can only be judged by its pid.
  if (!startTime) return true;
  const now = startTimeOf(pid);
  return now === undefined || now === startTime;
}

async function isStale(file: string): Promise<boolean> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    // Released between our attempt and this read: free now.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  const [pidLine, startLine] = content.split('\n');
  const owner = Number(pidLine?.trim());
  // Locks of older versions hold a random token on line 2, not a start time.
  const started = startLine?.startsWith(START_PREFIX) ? startLine.slice(START_PREFIX.length).trim() : undefined;
  if (Number.isInteger(owner) && owner > 0) return !isRunning(owner, started);
  const info = await stat(file).catch(() => undefined);
  return !info || Date.now() - info.mtimeMs > UNREADABLE_LOCK_STALE_MS;
}

export async function acquireIngestLock(indexDir: string): Promise<() => Promise<void>> {
  const file = path.join(indexDir, 'ingest.lock');
  // pid, start time (empty where unknown), then a random token that tells our own lock from a successor's.
  const token = `${process.pid}\n${START_PREFIX}${startTimeOf(process.pid) ?? ''}\n${randomBytes(8).toString('hex')}\n`;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, token);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temporary, file);
        return async () => {
          // Only remove the lock if it is still ours.
          const content = await readFile(file, 'utf8').catch(() => '');
          if (content === token) await rm(file, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (!(await isStale(file))) {
          const owner = (await readFile(file, 'utf8').catch(() => '')).split('\n')[0]?.trim();
          throw new AppError('ingest_busy', `另一个导入任务（进程 ${owner || '未知'}）正在运行，请稍后再试`);
        }
        await rm(file, { force: true });
      }
    }
    throw new AppError('ingest_busy', `无法获取导入锁 ${file}`);
  } finally {
    await rm(temporary, { force: true });
  }
}
