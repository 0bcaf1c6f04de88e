/**
 * @module Short per-chat memory: the last few questions of a conversation, as understood, with
 * their topics, forgotten after a while of silence. Follow-ups are resolved against it. The bot
 * keeps the turns in its store, so a follow-up that another replica receives still has its
 * context; without a store (eval, tests) they live in this process.
 */
import type { Turn } from '../qa/index.ts';
import type { TurnStore } from './store/index.ts';

/** Turns in this process's memory. */
class LocalTurns implements TurnStore {
  readonly #turns = new Map<string, Turn[]>();

  async recentTurns(conversation: string, since: number, limit: number): Promise<Turn[]> {
    const fresh = (this.#turns.get(conversation) ?? []).filter((turn) => turn.at >= since);
    if (fresh.length === 0) this.#turns.delete(conversation);
    return fresh.slice(-limit);
  }

  async addTurn(conversation: string, turn: Turn, { keep, since }: { keep: number; since: number }): Promise<void> {
    const turns = [...(this.#turns.get(conversation) ?? []).filter((kept) => kept.at >= since), turn].slice(-keep);
    this.#turns.set(conversation, turns);
  }

  async forgetTurns(conversation: string): Promise<void> {
    this.#turns.delete(conversation);
  }
}

export class ConversationMemory {
  readonly #turns: TurnStore;
  readonly #maxTurns: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxTurns: number; ttlMs: number; now?: () => number; turns?: TurnStore }) {
    this.#turns = options.turns ?? new LocalTurns();
    this.#maxTurns = options.maxTurns;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The earliest moment a turn is still fresh at. */
  #since(): number {
    return Number.isFinite(this.#ttlMs) ? this.#now() - this.#ttlMs : 0;
  }

  /** Turns still fresh, oldest first. */
  recent(key: string): Promise<Turn[]> {
    if (this.#maxTurns === 0) return Promise.resolve([]);
    return this.#turns.recentTurns(key, this.#since(), this.#maxTurns);
  }

  async record(key: string, turn: Omit<Turn, 'at'>): Promise<void> {
    if (this.#maxTurns === 0) return;
    await this.#turns.addTurn(key, { ...turn, at: this.#now() }, { keep: this.#maxTurns, since: this.#since() });
  }

  reset(key: string): Promise<void> {
    return this.#turns.forgetTurns(key);
  }
}
