import { existsSync, readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireIngestLock } from '../../ingest/index.ts';
import { tempDirs } from '../helpers/ingest.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

describe('acquireIngestLock', () => {
  it('lets exactly one of many simultaneous acquirers in', async () => {
    const directory = await temp.make();
    for (let round = 0; round < 25; round++) {
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => acquireIngestLock(directory)));
      const winners = results.filter((result): result is PromiseFulfilledResult<() => Promise<void>> => result.status === 'fulfilled');
      expect(winners, `round ${round}`).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'ingest_busy' });
      }
      await winners[0]!.value();
      expect(existsSync(path.join(directory, 'ingest.lock'))).toBe(false);
    }
  });

  it('writes the owner pid and leaves no temporary files', async () => {
    const directory = await temp.make();
    const release = await acquireIngestLock(directory);
    expect(readFileSync(path.join(directory, 'ingest.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await release();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(directory)).toEqual([]);
  });

  it('treats a fresh lock without a pid as held, and an old one as stale', async () => {
    const directory = await temp.make();
    const file = path.join(directory, 'ingest.lock');
    await writeFile(file, '');
    await expect(acquireIngestLock(directory)).rejects.toMatchObject({ code: 'ingest_busy' });
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(file, anHourAgo, anHourAgo);
    const release = await acquireIngestLock(directory);
    await release();
  });

  describe.runIf(existsSync('/proc/self/stat'))('pid reuse (Linux: start time from /proc)', () => {
    /** Field 22 of /proc/<pid>/stat, after the parenthesised command name. */
    const startTime = (pid: number) => {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    };

    it('records the start time beside the pid', async () => {
      const directory = await temp.make();
      const release = await acquireIngestLock(directory);
      const [pid, started] = readFileSync(path.join(directory, 'ingest.lock'), 'utf8').split('\n');
      expect(pid).toBe(String(process.pid));
      expect(started).toBe(`start ${startTime(process.pid)}`);
      await release();
    });

    it('takes over a lock naming a live pid whose start time is not the lock owner\'s', async () => {
      const directory = await temp.make();
      const file = path.join(directory, 'ingest.lock');
      // This very process is alive, but it is not the process that wrote the lock: the pid was reused.
      await writeFile(file, `${process.pid}\nstart ${Number(startTime(process.pid)) + 1}\nabcdef\n`);
      const release = await acquireIngestLock(directory);
      expect(readFileSync(file, 'utf8')).toContain(`start ${startTime(process.pid)}\n`);
      await release();
      expect(existsSync(file)).toBe(false);
    });

    it('keeps honouring a live owner: the right start time, or a lock without one', async () => {
      const directory = await temp.make();
      const file = path.join(directory, 'ingest.lock');
      await writeFile(file, `${process.ppid}\nstart ${startTime(process.ppid)}\nabcdef\n`);
      await expect(acquireIngestLock(directory)).rejects.toMatchObject({ code: 'ingest_busy', message: expect.stringContaining(String(process.ppid)) });
      // Written by an older version: pid and token only, judged by the pid.
      await writeFile(file, `${process.ppid}\n0123456789abcdef\n`);
      await expect(acquireIngestLock(directory)).rejects.toMatchObject({ code: 'ingest_busy' });
    });
  });

  it('does not delete a lock that another owner took over in the meantime', async () => {
    const directory = await temp.make();
    const file = path.join(directory, 'ingest.lock');
    const release = await acquireIngestLock(directory);
    await writeFile(file, `${process.ppid}\n`);
    await release();
    expect(readFileSync(file, 'utf8')).toBe(`${process.ppid}\n`);
  });
});
