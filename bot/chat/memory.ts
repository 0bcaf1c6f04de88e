/**
 * @module Short per-chat memory: the last few questions of a conversation, as understood, with
 * their topics, forgotten after a while of silence. Follow-ups are resolved against it.
 */
import type { Turn } from '../qa/index.ts';

export class ConversationMemory {
  readonly #turns = new Map<string, Turn[]>();
  readonly #maxTurns: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxTurns: number; ttlMs: number; now?: () => number }) {
    this.#maxTurns = options.maxTurns;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Turns still fresh, oldest first. */
  recent(key: string): Turn[] {
    const fresh = (this.#turns.get(key) ?? []).filter((turn) => this.#now() - turn.at <= this.#ttlMs);
    if (fresh.length === 0) this.#turns.delete(key);
    return fresh;
  }

  record(key: string, turn: Omit<Turn, 'at'>): void {
    if (this.#maxTurns === 0) return;
    const turns = [...this.recent(key), { ...turn, at: this.#now() }].slice(-this.#maxTurns);
    this.#turns.set(key, turns);
  }

  reset(key: string): void {
    this.#turns.delete(key);
  }
}
