/**
 * @module A question from its text to its reply: answered in the context of the conversation,
 * delivered as one card (streamed while it is generated, when the transport can), then saved for
 * feedback and sources and remembered for the next follow-up.
 */
import { randomUUID } from 'node:crypto';
import { describeError, isAppError } from '../../core/index.ts';
import type { ChatAnswer, ChatQuestion } from './chat-qa.ts';
import { answerCard, answerMarkdown, streamingPlaceholder } from './cards.ts';
import type { ChatBotOptions, IncomingMessage } from './types.ts';
import type { StoredAnswer } from './store/index.ts';
import { combinedNote } from './user-texts.ts';

type AnswerOptions = Pick<ChatBotOptions, 'qa' | 'store' | 'transport' | 'logger' | 'maxQuestionChars' | 'memory' | 'streamAnswers'>;

/** One question on its way to its card. */
interface PendingAnswer {
  message: IncomingMessage;
  input: ChatQuestion;
  answerId: string;
  /** The chat's own note (e.g. a trimmed question), shown beside the answer's. */
  note: string | undefined;
}

interface Delivered {
  result: ChatAnswer;
  /** The message the answer card ended up in, where feedback clicks come from. */
  replyId: string;
}

/** In a group, each person has their own thread of questions. */
export function conversationKey(message: IncomingMessage): string {
  return `${message.chatId}:${message.senderId}`;
}

export async function answerQuestion(options: AnswerOptions, message: IncomingMessage, text: string): Promise<void> {
  const { memory } = options;
  const limit = options.maxQuestionChars ?? 300;
  const question = text.length > limit ? text.slice(0, limit) : text;
  const conversation = conversationKey(message);
  const history = (await memory?.recent(conversation).catch((error: unknown) => lostContext(options, 'read', error))) ?? [];
  const answerId = randomUUID();
  const note = text.length > limit ? `问题过长，只按前 ${limit} 个字回答` : undefined;
  const { result, replyId } = await deliverAnswer(options, { message, input: { question, history }, answerId, note });
  const asked = result.understood ?? question;
  await memory?.record(conversation, { question: asked, topic: result.topic.length > 0 ? result.topic : (history.at(-1)?.topic ?? []) }).catch((error: unknown) => lostContext(options, 'write', error));
  const { answer } = result;
  const notes = combinedNote(answer.note, note);
  await saveAnswer(options, {
    id: answerId,
    chatId: message.chatId,
    messageId: replyId,
    question: asked,
    answer: answer.text,
    refused: answer.refused,
    citations: answer.citations,
    ...(notes ? { note: notes } : {}),
    ...(result.understood ? { understood: result.understood } : {}),
    outcome: answer.outcome,
    chatKind: message.chatType,
    latencyMs: result.latencyMs,
  });
}

/** The user already has the answer; a store that cannot keep it only costs the card's buttons. */
async function saveAnswer({ store, logger }: AnswerOptions, answer: Omit<StoredAnswer, 'createdAt'>): Promise<void> {
  try {
    await store.saveAnswer(answer);
  } catch (error) {
    logger.error('store failed, answer not saved (its buttons will not work)', { answerId: answer.id, store: store.location, error: describeError(error) });
  }
}

/** A store that cannot keep the conversation costs the follow-up its context, not the answer. */
function lostContext({ store, logger }: AnswerOptions, access: 'read' | 'write', error: unknown): undefined {
  logger.error(`store failed, conversation context not ${access === 'read' ? 'read' : 'kept'}`, { store: store.location, error: describeError(error) });
  return undefined;
}

function finalCard(result: ChatAnswer, { answerId, note, message, input }: PendingAnswer): object {
  const notes = combinedNote(result.answer.note, note);
  const answer = notes ? { ...result.answer, note: notes } : result.answer;
  return answerCard({ answerId, answer, question: input.question, p2p: message.chatType === 'p2p', ...(result.understood ? { understoodAs: result.understood } : {}) });
}

/**
 * Answers and delivers the card. When streaming, partial text goes into a streaming card that
 * the final card then replaces; if any streaming step fails, the final card is sent as a fresh
 * reply, so the user is never left looking at "Thinking…".
 */
async function deliverAnswer(options: AnswerOptions, pending: PendingAnswer): Promise<Delivered> {
  const { qa, transport, logger } = options;
  const { message, input } = pending;
  const replyAnew = async (result: ChatAnswer): Promise<Delivered> => ({ result, replyId: await transport.replyCard(message.messageId, finalCard(result, pending), 'answer') });
  if (!options.streamAnswers || !transport.streamReply) return replyAnew(await qa.answer(input));
  const streamed = await streamAnswer(options, pending);
  const result = streamed.result ?? (await qa.answer(input));
  if (streamed.streamId) {
    try {
      await transport.updateCard(streamed.streamId, finalCard(result, pending));
      return { result, replyId: streamed.streamId };
    } catch (error) {
      logger.warn('replacing the streamed card failed, sending the answer anew', { messageId: message.messageId, error: describeError(error) });
    }
  }
  return replyAnew(result);
}

/**
 * Streams the answer into a reply. Without `streamId` the stream failed; without `result` it failed
 * before the answer was ready.
 */
async function streamAnswer(options: AnswerOptions, { message, input }: PendingAnswer): Promise<{ result?: ChatAnswer; streamId?: string }> {
  const { qa, transport, logger } = options;
  let result: ChatAnswer | undefined;
  let failure: unknown;
  let streamId: string | undefined;
  try {
    streamId = await transport.streamReply?.(message.messageId, message.chatId, async (update) => {
      update(streamingPlaceholder(input.question));
      try {
        result = await qa.answer(input, { onPartial: update });
      } catch (error) {
        failure = error;
        return;
      }
      // The partial text was the model's, unchecked; the stream ends on the verified answer, so the
      // card is right even if replacing it with the full card fails.
      update(answerMarkdown(result.answer));
    });
  } catch (error) {
    // The streaming card may be in the chat: a fresh reply could be a second message. Answering
    // again later sends the stream under the same key, which is that very message.
    if (isAppError(error, 'reply_unconfirmed')) throw error;
    logger.warn('streaming reply failed', { messageId: message.messageId, error: describeError(error) });
  }
  // An answering failure is reported (error card), not retried; a failed stream only costs the stream.
  if (failure) throw failure;
  return { result, streamId };
}
