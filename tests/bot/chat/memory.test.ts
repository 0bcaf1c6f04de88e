/** Per-chat memory of recent questions, for understanding follow-ups: a few turns, for a limited time. */
import { describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../../bot/chat/index.ts';

describe('ConversationMemory', () => {
  it('forgets turns after the time limit and on reset', async () => {
    let now = 0;
    const memory = new ConversationMemory({ maxTurns: 2, ttlMs: 1000, now: () => now });
    await memory.record('a', { question: 'q1', topic: ['x'] });
    await memory.record('a', { question: 'q2', topic: ['y'] });
    await memory.record('a', { question: 'q3', topic: ['z'] });
    expect((await memory.recent('a')).map((turn) => turn.question)).toEqual(['q2', 'q3']);
    now = 2000;
    expect(await memory.recent('a')).toEqual([]);
    await memory.record('b', { question: 'q', topic: [] });
    await memory.reset('b');
    expect(await memory.recent('b')).toEqual([]);
  });
});
