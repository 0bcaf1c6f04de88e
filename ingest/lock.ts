/**
 * @module One ingest at a time per index folder (the bot and the CLI may both try). The lock is
 * a file created exclusively; a lock left by a process that no longer runs is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireIngestLock(indexDir: string): Promise<() => Promise<void>> {
  const file = path.join(indexDir, 'ingest.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && isRunning(owner)) {
        throw new AppError('ingest_busy', `另一个导入任务（进程 ${owner}）正在运行，请稍后再试`);
      }
      await rm(file, { force: true });
    }
  }
  throw new AppError('ingest_busy', `无法获取导入锁 ${file}`);
}
