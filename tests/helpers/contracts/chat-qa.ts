/**
 * The `ChatQa` contract: what the chat pipeline relies on from question answering, whether the
 * answers are computed in process (`LocalChatQa`) or on a worker thread (`WorkerChatQa`). Each
 * implementation is started from a configuration (`env`), the way the bot starts it, on a private
 * copy of the bundled knowledge and its index; one instance serves every case (a worker takes a
 * while to start), so the cases that change the index come last.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { ChatAnswer, ChatQa } from '../../../bot/chat/index.ts';
import type { Turn } from '../../../bot/qa/index.ts';
import { isAppError } from '../../../core/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/index.ts';
import { chatRequests, wellBehaved } from '../fake-model.ts';
import { DOC_GAMMA } from '../ingest.ts';
import { bundledWorkspace } from '../qa.ts';
import { buildIndex, type Workspace } from '../workspace.ts';
import { contractCase, expectTraceable, markersOf, type Skip } from './cases.ts';

type ChatQaCase =
  | 'answers an answerable question with traceable citations and the question’s topic'
  | 'refuses an unanswerable question without citations'
  | 'resolves a follow-up from the history and reports the question as understood'
  | 'never calls onPartial when the extractive answerer answers'
  | 'streams growing partials before the answer when a model is configured'
  | 'refresh() switches to the version an ingest wrote into the same INDEX_DIR'
  | 'refresh() onto a broken index rejects with its AppError code and keeps the version it has'
  | 'a start-up failure rejects with its AppError code';

export interface ChatQaContract {
  /** Starts the implementation on the configuration `env` (KNOWLEDGE_DIR, INDEX_DIR, LLM_… as in .env). */
  start(env: Record<string, string>): Promise<ChatQa>;
  skip?: Skip<ChatQaCase>[];
}

const Q_ANSWERABLE = '技术改造有什么奖补政策？';
const Q_UNANSWERABLE = '住房公积金怎么提取？';
const Q_FIRST = '双创双服里孵化器要建几个？';
const Q_FOLLOW_UP = '这个由哪个部门负责？';
/** Answered by the model (tests/bot/answer/generative.test.ts): its well-behaved answer verifies. */
const Q_MODEL = '渤海新区的项目审批现在平均多久能办完？';
/** Only DOC_GAMMA, added by an ingest during the run, answers this. */
const Q_NEW_DOCUMENT = '测试市青年人才租房补贴每月多少？';
const NEW_DOCUMENT_TITLE = '测试市人才安居办法';

const ask = (qa: ChatQa, question: string, history: Turn[] = [], options: { onPartial?: (text: string) => void } = {}): Promise<ChatAnswer> =>
  qa.answer({ question, history }, options);

/** The rejection of `promise`, or undefined when it resolves (after `cleanup` of what it resolved to). */
async function rejectionOf<T>(promise: Promise<T>, cleanup: (value: T) => Promise<void> = async () => {}): Promise<unknown> {
  try {
    await cleanup(await promise);
    return undefined;
  } catch (error) {
    return error;
  }
}

export function runChatQaContract({ start, skip }: ChatQaContract): void {
  const test = contractCase(skip);

  describe('ChatQa contract', () => {
    let workspace: Workspace;
    let model: FakeOpenAI;
    let env: Record<string, string>;
    let started: ChatQa | undefined;
    const qa = (): ChatQa => {
      if (!started) throw new Error('the ChatQa under test did not start');
      return started;
    };

    beforeAll(async () => {
      workspace = await bundledWorkspace();
      model = await startFakeOpenAI({ chat: wellBehaved });
      env = { KNOWLEDGE_DIR: workspace.knowledgeDir, INDEX_DIR: workspace.indexDir, DATA_DIR: workspace.dataDir, LOG_LEVEL: 'error' };
      started = await start(env);
    });

    afterAll(async () => {
      await started?.close();
      await model?.close();
      workspace?.remove();
    });

    test('answers an answerable question with traceable citations and the question’s topic', async () => {
      const result = await ask(qa(), Q_ANSWERABLE);
      expectTraceable(result.answer);
      expect(result.answer.text).toContain('技术改造');
      expect(result.topic).toContain('技术改造');
      expect(result.understood).toBeUndefined();
      expect(result.latencyMs).toBeGreaterThan(0);
    });

    test('refuses an unanswerable question without citations', async () => {
      const result = await ask(qa(), Q_UNANSWERABLE);
      expect(result.answer.refused).toBe(true);
      expect(result.answer.citations).toEqual([]);
      expect(markersOf(result.answer.text)).toEqual([]);
      // The refusal names what was not found.
      expect(result.answer.text).toContain('公积金');
    });

    test('resolves a follow-up from the history and reports the question as understood', async () => {
      const first = await ask(qa(), Q_FIRST);
      expect(first.topic).toContain('孵化器');
      const followUp = await ask(qa(), Q_FOLLOW_UP, [{ question: Q_FIRST, topic: first.topic, at: Date.now() }]);
      expect(followUp.understood).toMatch(/孵化器/);
      expect(followUp.understood).not.toBe(Q_FOLLOW_UP);
      expectTraceable(followUp.answer);
      expect(followUp.answer.text).toContain('孵化器');
      expect(followUp.topic).toContain('孵化器');
      // Control: the same words without a history are taken as they stand.
      const alone = await ask(qa(), Q_FOLLOW_UP);
      expect(alone.understood).toBeUndefined();
      expect(alone.topic).not.toContain('孵化器');
    });

    test('never calls onPartial when the extractive answerer answers', async () => {
      // Without LLM_* the answerer is the extractive one: it has nothing to stream, so the chat
      // gets no partials and shows only the final card.
      const partials: string[] = [];
      const result = await ask(qa(), Q_ANSWERABLE, [], { onPartial: (text) => partials.push(text) });
      expectTraceable(result.answer);
      expect(result.answer.mode).toBe('extractive');
      expect(partials).toEqual([]);
    });

    test('streams growing partials before the answer when a model is configured', async () => {
      const generative = await start({ ...env, LLM_BASE_URL: model.baseUrl, LLM_MODEL: 'fake-model', LLM_API_KEY: 'test-key' });
      try {
        const partials: string[] = [];
        const late: string[] = [];
        let answered = false;
        const streamed = await ask(generative, Q_MODEL, [], { onPartial: (text) => (answered ? late : partials).push(text) });
        answered = true;
        expect(streamed.answer.mode).toBe('generative');
        expectTraceable(streamed.answer);
        expect(partials.length).toBeGreaterThan(1);
        for (let i = 1; i < partials.length; i++) expect(partials[i]!.startsWith(partials[i - 1]!)).toBe(true);
        expect(partials.at(-1)).toContain('[1]');
        // Control: a second answer, without onPartial, is the same. Replies are ordered, so once it
        // is here any partial of the first answer still on its way would have arrived too.
        const requestsBefore = chatRequests(model).length;
        const quiet = await ask(generative, Q_MODEL);
        expect(chatRequests(model).length).toBe(requestsBefore + 1);
        expect(quiet.answer.text).toBe(streamed.answer.text);
        expect(late).toEqual([]);
      } finally {
        await generative.close();
      }
    });

    test('refresh() switches to the version an ingest wrote into the same INDEX_DIR', async () => {
      expect((await ask(qa(), Q_NEW_DOCUMENT)).answer.refused).toBe(true);
      writeFileSync(path.join(workspace.knowledgeDir, 'ceshi-rencai-anju.txt'), DOC_GAMMA);
      const summary = await buildIndex(workspace.knowledgeDir, workspace.indexDir);
      expect(summary.switched).toBe(true);
      // Asked right away: the worker's own 2 s poll of CURRENT is (almost surely) not what switches it.
      await qa().refresh();
      const after = await ask(qa(), Q_NEW_DOCUMENT);
      expectTraceable(after.answer);
      expect(after.answer.citations.map((citation) => citation.title)).toContain(NEW_DOCUMENT_TITLE);
      expect(after.answer.text).toContain('一千五百元');
    });

    test('refresh() onto a broken index rejects with its AppError code and keeps the version it has', async () => {
      const pointer = path.join(workspace.indexDir, 'CURRENT');
      const live = readFileSync(pointer, 'utf8');
      writeFileSync(pointer, 'v-does-not-exist\n');
      let error: unknown;
      try {
        error = await rejectionOf(qa().refresh());
      } finally {
        writeFileSync(pointer, live);
      }
      expect(isAppError(error, 'index_corrupt')).toBe(true);
      expect((error as Error).message).toContain('v-does-not-exist');
      const still = await ask(qa(), Q_NEW_DOCUMENT);
      expect(still.answer.citations.map((citation) => citation.title)).toContain(NEW_DOCUMENT_TITLE);
    });

    test('a start-up failure rejects with its AppError code', async () => {
      const broken = mkdtempSync(path.join(os.tmpdir(), 'chat-qa-broken-'));
      try {
        writeFileSync(path.join(broken, 'CURRENT'), 'v-does-not-exist\n');
        const corrupt = await rejectionOf(start({ ...env, INDEX_DIR: broken }), (qa) => qa.close());
        expect(isAppError(corrupt, 'index_corrupt')).toBe(true);
      } finally {
        rmSync(broken, { recursive: true, force: true });
      }
      // The index was built with the local embedder, not this one.
      const otherEmbedder = { EMBEDDINGS: 'openai', EMBEDDINGS_BASE_URL: model.baseUrl, EMBEDDINGS_MODEL: 'fake-embed' };
      const incompatible = await rejectionOf(start({ ...env, ...otherEmbedder }), (qa) => qa.close());
      expect(isAppError(incompatible, 'index_incompatible')).toBe(true);
      expect((incompatible as Error).message).toContain('openai:fake-embed');
    });
  });
}
