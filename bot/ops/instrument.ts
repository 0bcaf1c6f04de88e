/**
 * @module Decorators that count what the chat does, put around its parts where they are composed
 * (bot/main.ts), so the parts themselves know nothing of metrics.
 */
import { isAppError } from '../../core/index.ts';
import type { ChatQa, ChatTransport } from '../chat/index.ts';
import type { OpsMetrics } from './metrics.ts';

const codeOf = (error: unknown) => (isAppError(error) ? error.code : 'unknown');

/** Every answer's outcome and how long the chat waited for it (a worker's backlog included). */
export function measuredQa(qa: ChatQa, metrics: OpsMetrics): ChatQa {
  return {
    async answer(input, options) {
      const stopTimer = metrics.answerSeconds.startTimer();
      try {
        const result = await qa.answer(input, options);
        metrics.questions.inc({ outcome: result.answer.outcome });
        return result;
      } catch (error) {
        metrics.questionFailures.inc();
        throw error;
      } finally {
        stopTimer();
      }
    },
    refresh: () => qa.refresh(),
    close: () => qa.close(),
  };
}

async function counted<T>(metrics: OpsMetrics, kind: string, send: () => Promise<T>): Promise<T> {
  try {
    const value = await send();
    metrics.replies.inc({ kind });
    return value;
  } catch (error) {
    metrics.replyErrors.inc({ kind, code: codeOf(error) });
    throw error;
  }
}

/** Replies, card updates and streamed replies, and the ones that failed, by error code. */
export function measuredTransport(transport: ChatTransport, metrics: OpsMetrics): ChatTransport {
  const { streamReply } = transport;
  return {
    replyCard: (messageId, card, key) => counted(metrics, 'reply', () => transport.replyCard(messageId, card, key)),
    updateCard: (messageId, card) => counted(metrics, 'update', () => transport.updateCard(messageId, card)),
    downloadAttachment: (messageId, fileKey, maxBytes) => transport.downloadAttachment(messageId, fileKey, maxBytes),
    ...(streamReply ? { streamReply: (messageId, chatId, produce) => counted(metrics, 'stream', () => streamReply.call(transport, messageId, chatId, produce)) } : {}),
  };
}

/** Ingest runs (every admin change goes through one) by result, and their duration. */
export function measuredIngest<T>(run: () => Promise<T>, metrics: OpsMetrics): () => Promise<T> {
  return async () => {
    const stopTimer = metrics.ingestSeconds.startTimer();
    try {
      const summary = await run();
      metrics.ingestRuns.inc({ result: 'ok' });
      return summary;
    } catch (error) {
      metrics.ingestRuns.inc({ result: 'error' });
      throw error;
    } finally {
      stopTimer();
    }
  };
}

/** What `connectLark` reports of each push from Lark: received, then acknowledged ok or with an error. */
export function larkEventCounter(metrics: OpsMetrics): { received(eventType: string): void; acknowledged(eventType: string, ok: boolean): void } {
  return {
    received: (eventType) => metrics.larkEvents.inc({ event_type: eventType }),
    acknowledged: (eventType, ok) => metrics.larkAcks.inc({ event_type: eventType, result: ok ? 'ok' : 'error' }),
  };
}
