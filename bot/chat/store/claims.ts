/**
 * @module Who may take over a claim. The owner renews a lease on its claims while it works; a
 * claim whose lease ran out belongs to a replica that died or hangs, on whatever machine. On the
 * same machine a dead owner is known at once from its pid (a restart answers what its predecessor
 * left without waiting out the lease); across machines a pid means nothing, so only the lease counts.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';

/**
 * A claim older than this is from a worker that hangs mid-answer although its process renews
 * leases. Longer than an admin's 重新导入 of a large knowledge base may take (so it is not run
 * twice), shorter than the hour Lark keeps a reply key (so a replayed reply still shows once).
 */
const STALE_CLAIM_MS = 20 * 60 * 1000;

export interface ClaimRow {
  message_id: string;
  state: 'working' | 'done';
  claimed_at: number;
  /** `host:pid:token`; files from before leases hold `pid:token`, written on this machine. */
  owner: string | null;
  message: string | null;
  /** Null on claims made before leases existed: expired. */
  lease_until: number | null;
}

/** Owners of the stores open in this process: another owner with our pid is an earlier instance, gone. */
const openHere = new Set<string>();

/** A new owner id for one store instance: the token tells it from an earlier instance with the same pid. */
export function newOwner(): string {
  const owner = `${os.hostname()}:${process.pid}:${randomUUID()}`;
  openHere.add(owner);
  return owner;
}

export function releaseOwner(owner: string): void {
  openHere.delete(owner);
}

/** Whether a process with this id exists (signal 0 only checks; EPERM means it exists but is not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An owner on this machine whose process is gone: its pid does not run, or it is ours but no store of this process has it open. */
function ownerGoneHere(owner: string): boolean {
  const parts = owner.split(':');
  const host = parts.length >= 3 ? parts.slice(0, -2).join(':') : os.hostname();
  if (host !== os.hostname()) return false;
  const pid = Number(parts.at(-2));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return pid === process.pid ? !openHere.has(owner) : !processAlive(pid);
}

export function takeable(row: ClaimRow, self: string, now: number): boolean {
  if (row.state !== 'working') return false;
  if (row.claimed_at < now - STALE_CLAIM_MS) return true;
  if (!row.owner || row.owner === self) return false;
  return (row.lease_until ?? 0) < now || ownerGoneHere(row.owner);
}
