/**
 * @module Button clicks on answer cards. A click is one person's: in a group the card everyone sees
 * stays as it is, the clicker gets a toast (the callback's answer, shown only to them) and 原文
 * comes to them in a private message rather than into the group. In a private chat the card itself
 * may show the vote, and 原文 is a reply there.
 */
import { describeError } from '../../core/index.ts';
import type { Answer } from '../answer/index.ts';
import { answerCard, sourceCard } from './cards.ts';
import type { StoredAnswer } from './store/index.ts';
import type { CardActionInput, CardActionReply, ChatBotOptions } from './types.ts';

type CardActionOptions = Pick<ChatBotOptions, 'store' | 'transport' | 'logger'>;

/** What the buttons carry (./cards.ts); `p2p` is set on cards sent in a private chat. */
interface ButtonValue {
  action?: string;
  answerId?: string;
  vote?: string;
  p2p?: boolean;
}

const toast = (type: CardActionReply['toast']['type'], content: string): CardActionReply => ({ toast: { type, content } });

/** The stored answer drawn again with the vote on it, as the card in a private chat shows it after a click. */
function votedCard(stored: StoredAnswer, vote: 'up' | 'down'): object {
  // The store keeps what the card shows; a non-answer cites clauses exactly when it is `related`.
  const outcome = stored.refused ? (stored.citations.length > 0 ? 'related' : 'none') : 'answer';
  const answer = { refused: stored.refused, outcome, text: stored.answer, citations: stored.citations, closestDocuments: [], mode: 'extractive', ...(stored.note ? { note: stored.note } : {}) } satisfies Answer;
  return answerCard({ answerId: stored.id, answer, question: stored.question, feedback: { vote }, p2p: true, ...(stored.understood ? { understoodAs: stored.understood } : {}) });
}

async function act({ store, transport }: CardActionOptions, { messageId, operatorId, value }: CardActionInput): Promise<CardActionReply | undefined> {
  const payload = (value ?? {}) as ButtonValue;
  const stored = payload.answerId ? await store.getAnswer(payload.answerId) : undefined;
  if (!stored) return toast('warning', '找不到这条回答（可能已过期），请重新提问');
  if (payload.action === 'feedback' && (payload.vote === 'up' || payload.vote === 'down')) {
    await store.recordFeedback(stored.id, operatorId, payload.vote);
    if (payload.p2p) await transport.updateCard(messageId, votedCard(stored, payload.vote));
    return toast('success', payload.vote === 'up' ? '已记录“有用”，感谢反馈' : '已记录“没用”，我们会改进');
  }
  if (payload.action !== 'source') return undefined;
  if (payload.p2p) {
    await transport.replyCard(messageId, sourceCard(stored.citations));
    return undefined;
  }
  if (!transport.sendToUser) return toast('info', '请在与我的私聊中提问，即可查看原文');
  await transport.sendToUser(operatorId, sourceCard(stored.citations, stored.question));
  return toast('success', '原文已私信发给您');
}

/** Never throws: a click that fails is logged and told to the clicker. */
export async function answerCardAction(options: CardActionOptions, action: CardActionInput): Promise<CardActionReply | undefined> {
  try {
    return await act(options, action);
  } catch (error) {
    options.logger.error('card action failed', { messageId: action.messageId, error: describeError(error) });
    return toast('error', '操作没有成功，请稍后再试');
  }
}
