/**
 * The real bot process with a model configured: answers stream into a CardKit card through the
 * real SDK, then the verified final card replaces the stream; a failing stream update still ends
 * with the final card; follow-ups are rewritten by the model. Lark and the model API are local
 * fakes speaking their real protocols on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentText, startFakeLark, type FakeLark, type SentRecord } from '../../../fake-lark/index.ts';
import { startFakeOpenAI } from '../../../fake-openai/index.ts';
import { startBot, type BotProcess } from '../../../helpers/bot-process.ts';
import { wellBehaved } from '../../../helpers/fake-model.ts';
import { bundledWorkspace } from '../../../helpers/qa.ts';
import type { Workspace } from '../../../helpers/workspace.ts';

let lark: FakeLark;
let model: Awaited<ReturnType<typeof startFakeOpenAI>>;
let workspace: Workspace;
let bot: BotProcess;

beforeAll(async () => {
  lark = await startFakeLark();
  model = await startFakeOpenAI({
    apiKey: 'model-key',
    chat: (request) => {
      const prompt = request.messages.map((message) => message.content).join('\n');
      // The follow-up rewriter gets the history; the answerer gets passages.
      if (prompt.includes('<history>')) return { content: '双创双服活动中孵化器培育由哪个部门负责？' };
      return wellBehaved(request);
    },
  });
  workspace = await bundledWorkspace();
  bot = await startBot(workspace, {
    LARK_APP_ID: lark.appId,
    LARK_APP_SECRET: lark.appSecret,
    LARK_DOMAIN: lark.baseUrl,
    LLM_BASE_URL: model.baseUrl,
    LLM_API_KEY: 'model-key',
    LLM_MODEL: 'fake-model',
  });
  await lark.waitForWsClient();
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await lark?.close();
  await model?.close();
  workspace?.remove();
});

async function ask(text: string, chatId = 'oc_stream_chat'): Promise<{ messageId: string; final: SentRecord }> {
  const event = lark.messageEvent({ chatType: 'p2p', text, chatId });
  const messageId = event['event'].message.message_id as string;
  await lark.deliverEvent(event);
  const reply = await lark.waitFor((record) => record.kind === 'reply' && record.replyTo === messageId, 15_000);
  const final = await lark.waitFor(
    (record) => (record.kind === 'patch' && record.messageId === reply.messageId) || (record.kind === 'reply' && record.replyTo === messageId && record !== reply),
    15_000,
  );
  return { messageId, final };
}

describe('streaming generative answers in Lark', () => {
  it('streams into a CardKit card, then replaces it with the verified answer and its sources', async () => {
    const { final } = await ask('技术改造有什么奖补政策？');
    const card = lark.sent.find((record) => record.kind === 'card_create');
    expect(card).toBeDefined();
    const updates = lark.sent.filter((record) => record.kind === 'card_element_content' && record.cardId === card!.cardId);
    expect(updates.length).toBeGreaterThan(0);
    // The stream ends on the verified answer with its sources, not on the model's raw text.
    expect(sentText(updates.at(-1)!)).toContain('技术改造');
    expect(sentText(updates.at(-1)!)).toContain('来源');
    expect(lark.sent.some((record) => record.kind === 'card_settings' && record.cardId === card!.cardId)).toBe(true);
    expect(final.kind).toBe('patch');
    const text = sentText(final);
    expect(text).toContain('来源');
    expect(text).toContain('技术改造');
    expect(JSON.stringify(final.content)).toContain('"action":"feedback"');
    expect(model.requests.some((request) => request.path === '/v1/chat/completions' && request.body.stream === true)).toBe(true);
  });

  it('ends the stream on the closest clauses, presented as such, without calling the model', async () => {
    const before = model.requests.length;
    const cardsBefore = lark.sent.filter((record) => record.kind === 'card_create').length;
    const { final } = await ask('技改事后奖补按设备投资额的百分之几给？', 'oc_related_chat');
    const card = lark.sent.filter((record) => record.kind === 'card_create')[cardsBefore];
    expect(card).toBeDefined();
    const updates = lark.sent.filter((record) => record.kind === 'card_element_content' && record.cardId === card!.cardId);
    const streamed = sentText(updates.at(-1)!);
    expect(streamed).toContain('文件中没有直接回答这个问题。以下条款与您的问题最相关：');
    expect(streamed).toContain('**相关条款**');
    expect(streamed).not.toContain('来源');
    expect(JSON.stringify(final.content)).toContain('未找到直接答案 · 相关条款');
    expect(sentText(final)).toMatch(/技改|技术改造/);
    expect(model.requests.slice(before)).toHaveLength(0);
  });

  it('still delivers the final card when a stream update fails', async () => {
    lark.failNext('card_element_content', { status: 400, code: 300317 }, 5);
    const { final } = await ask('一窗通办怎么办理？');
    expect(sentText(final)).toContain('来源');
  });

  it('understands a follow-up through the model and shows the question as understood', async () => {
    await ask('双创双服里孵化器要建几个？');
    const { final } = await ask('这个由哪个部门负责？');
    expect(model.requests.some((request) => JSON.stringify(request.body).includes('<history>'))).toBe(true);
    expect(sentText(final)).toContain('按“双创双服活动中孵化器培育由哪个部门负责？”理解');
  });

  it('does not call the model for a question the documents cannot answer', async () => {
    const before = model.requests.length;
    const { final } = await ask('北京的公积金怎么提取？', 'oc_fresh_chat');
    expect(JSON.stringify(final.content)).toContain('未在政策文件中找到依据');
    expect(model.requests.slice(before)).toHaveLength(0);
  });
});
