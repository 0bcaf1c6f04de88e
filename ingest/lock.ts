/**
 * @module One ingest at a time per index folder (the bot and the CLI may both try). The lock is
 * a file holding the owner's pid, put in place with link(2) — atomic, and it fails when the lock
 * exists — so a competitor never sees a lock file that is still empty. A lock left by a process
 * that no longer runs is taken over.
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/index.ts';

/** A lock file without a readable pid (written by a crashed or foreign tool) counts as stale after this. */
const UNREADABLE_LOCK_STALE_MS = 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  const owner = Number(content.split('\n')[0]?.trim());
  if (Number.isInteger(owner) && owner > 0) return !isRunning(owner);
  const info = await stat(file).catch(() => undefined);
  return !info || Date.now() - info.mtimeMs > UNREADABLE_LOCK_STALE_MS;
}

export async function acquireIngestLock(indexDir: string): Promise<() => Promise<void>> {
  const file = path.join(indexDir, 'ingest.lock');
  const token = `${process.pid}\n${randomBytes(8).toString('hex')}\n`;
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
