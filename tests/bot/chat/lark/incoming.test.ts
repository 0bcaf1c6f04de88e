/**
 * Received Lark messages as the bot sees them, from raw events through the SDK's own `normalize`
 * (with the raw event attached, as the channel configures it).
 */
import { normalize, type RawMessageEvent } from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { postText, sentByApp, toIncoming } from '../../../../bot/chat/lark/index.ts';

const BOT = { openId: 'ou_bot', name: '政务问答' };

function rawEvent(input: { messageType: string; content: object; senderType?: string; chatType?: 'p2p' | 'group'; mentionBot?: boolean }): RawMessageEvent {
  return {
    sender: { sender_id: { open_id: 'ou_user' }, sender_type: input.senderType ?? 'user' },
    message: {
      message_id: 'om_1',
      chat_id: 'oc_1',
      chat_type: input.chatType ?? 'p2p',
      message_type: input.messageType,
      content: JSON.stringify(input.content),
      create_time: String(Date.now()),
      ...(input.mentionBot ? { mentions: [{ key: '@_user_1', id: { open_id: BOT.openId }, name: BOT.name }] } : {}),
    },
  };
}

const received = (event: RawMessageEvent) => normalize(event, { botIdentity: BOT, includeRaw: true });

const richPost = {
  title: '请教',
  content: [
    [
      { tag: 'at', user_id: '@_user_1', user_name: BOT.name },
      { tag: 'text', text: ' 企业申请', style: ['bold'] },
      { tag: 'a', text: '技术改造奖补', href: 'https://example.gov.cn/a?b=1' },
      { tag: 'text', text: '需要什么材料？' },
      { tag: 'emotion', emoji_type: 'SMILE' },
    ],
    [{ tag: 'img', image_key: 'img_v3_1' }],
    [
      { tag: 'at', user_id: 'ou_other', user_name: '张三' },
      { tag: 'text', text: '另见' },
      { tag: 'a', href: 'https://example.gov.cn/notice' },
    ],
  ],
};

describe('postText', () => {
  it('keeps the title and the text of text and link runs, one line per paragraph', () => {
    expect(postText(JSON.stringify(richPost))).toBe('请教\n企业申请技术改造奖补需要什么材料？\n另见https://example.gov.cn/notice');
  });

  it('reads a post wrapped per locale', () => {
    expect(postText(JSON.stringify({ en_us: { title: '', content: [[{ tag: 'text', text: 'hello' }]] } }))).toBe('hello');
    expect(postText(JSON.stringify({ zh_cn: { title: '标题', content: [] }, en_us: { title: 'title', content: [] } }))).toBe('标题');
  });

  it('gives nothing for content that is not a post', () => {
    for (const content of ['', 'not json', '[]', 'null', '{"title":{"x":1},"content":"oops"}', JSON.stringify({ content: [[{ tag: 'img', image_key: 'k' }]] })]) {
      expect(postText(content)).toBe('');
    }
  });
});

describe('toIncoming', () => {
  it('asks the clean text of a group post that mentions the bot (the SDK would give markdown with the mention and image)', async () => {
    const message = await received(rawEvent({ messageType: 'post', content: richPost, chatType: 'group', mentionBot: true }));
    expect(message.mentionedBot).toBe(true);
    expect(message.content).toContain('**请教**');
    const incoming = toIncoming(message);
    expect(incoming.text).toBe('请教\n企业申请技术改造奖补需要什么材料？\n另见https://example.gov.cn/notice');
    expect(incoming).toMatchObject({ messageId: 'om_1', chatId: 'oc_1', chatType: 'group', senderId: 'ou_user', contentType: 'post' });
  });

  it("keeps the SDK's text for other message types", async () => {
    const text = await received(rawEvent({ messageType: 'text', content: { text: '容缺承诺制是什么？' } }));
    expect(toIncoming(text).text).toBe('容缺承诺制是什么？');
    const file = await received(rawEvent({ messageType: 'file', content: { file_key: 'file_v3_1', file_name: 'a.pdf' } }));
    expect(toIncoming(file)).toMatchObject({ contentType: 'file', resources: [{ type: 'file', fileKey: 'file_v3_1', fileName: 'a.pdf' }] });
  });
});

describe('sentByApp', () => {
  it("tells another bot's message from a person's", async () => {
    expect(sentByApp(await received(rawEvent({ messageType: 'text', content: { text: 'hi' }, senderType: 'app' })))).toBe(true);
    expect(sentByApp(await received(rawEvent({ messageType: 'text', content: { text: 'hi' }, senderType: 'user' })))).toBe(false);
  });
});
