/**
 * @module The generative answerer: a chat model (any OpenAI-compatible endpoint, through
 * LangChain's `ChatOpenAI`) writes the answer from the retrieved passages only, streaming; the
 * result is verified against those passages (bot/answer/verify/) before it is used.
 *
 * It never weakens the extractive guarantees:
 *  - no evidence → the extractive answerer's non-answer (refusal.ts), and the model is not called at all;
 *  - a sentence that cannot be traced to a cited passage is dropped; nothing traceable left →
 *    the extractive answer;
 *  - any model failure (timeout, 429, 5xx, refused connection, malformed or empty output) →
 *    the extractive answer with a short note. `answer()` does not throw for model errors.
 */
import { ChatOpenAI } from '@langchain/openai';
import { describeError, type LlmSettings } from '../../core/index.ts';
import { buildMessages } from './prompt.ts';
import { nonAnswer } from './refusal.ts';
import type { Answer, AnswerInput, Answerer } from './types.ts';
import { DEFAULT_VERIFY, NO_ANSWER_PHRASE, verifyAnswer, type VerifyOptions } from './verify/index.ts';

interface AnswerLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export interface GenerativeOptions extends LlmSettings {
  /** Retries of a failed call inside the deadline (LangChain's retry, with backoff). */
  maxRetries?: number;
  /** Top retrieved passages shown to the model, numbered 1..N. */
  passages?: number;
  verify?: Partial<VerifyOptions>;
  logger?: AnswerLogger;
}

export type FallbackReason = 'timeout' | 'rate_limited' | 'server_error' | 'unreachable' | 'malformed' | 'failed' | 'no_answer' | 'unverified';

const FALLBACK_NOTES: Record<FallbackReason, string> = {
  timeout: '大模型响应超时，以下为原文摘录',
  rate_limited: '大模型请求过多，暂时无法生成回答，以下为原文摘录',
  server_error: '大模型暂不可用，以下为原文摘录',
  unreachable: '大模型暂不可用，以下为原文摘录',
  failed: '大模型暂不可用，以下为原文摘录',
  malformed: '大模型返回内容异常，以下为原文摘录',
  no_answer: '大模型未能从原文中组织回答，以下为原文摘录',
  unverified: '大模型的回答未能通过原文核验，以下为原文摘录',
};

function classify(error: unknown, deadline: AbortSignal): FallbackReason {
  if (deadline.aborted) return 'timeout';
  const record = (error ?? {}) as { name?: unknown; status?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  const name = String(record.name ?? '');
  const message = String(record.message ?? '');
  const status = typeof record.status === 'number' ? record.status : undefined;
  if (/Timeout/i.test(name) || /timed? ?out/i.test(message)) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status !== undefined && status >= 500) return 'server_error';
  if (/Connection|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|fetch failed|socket/i.test(`${name} ${message} ${String(record.code ?? '')}`)) return 'unreachable';
  if (error instanceof SyntaxError || /JSON|parse|Unexpected token|invalid.*(?:response|chunk)/i.test(message)) return 'malformed';
  return 'failed';
}

function chunkText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part: unknown) => (part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

export class GenerativeAnswerer implements Answerer {
  readonly kind = 'generative' as const;
  readonly #options: GenerativeOptions;
  readonly #fallback: Answerer;
  readonly #model: ChatOpenAI;
  readonly #verify: VerifyOptions;

  constructor(options: GenerativeOptions, fallback: Answerer) {
    this.#options = options;
    this.#fallback = fallback;
    this.#verify = { ...DEFAULT_VERIFY, ...options.verify };
    this.#model = new ChatOpenAI({
      model: options.model,
      apiKey: options.apiKey || 'not-needed',
      configuration: { baseURL: options.baseUrl },
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries ?? 1,
      streamUsage: false,
    });
  }

  async answer(input: AnswerInput, options: { onPartial?: (text: string) => void; signal?: AbortSignal } = {}): Promise<Answer> {
    const { query, retrieved, evidence } = input;
    if (!evidence.answerable) return nonAnswer(retrieved, evidence);
    const passages = retrieved.slice(0, this.#options.passages ?? 5);
    if (passages.length === 0) return nonAnswer(retrieved, evidence);

    const deadline = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    let raw = '';
    try {
      const stream = await this.#model.stream(buildMessages(query.original, passages), { signal });
      for await (const chunk of stream) {
        const piece = chunkText(chunk.content);
        if (piece === '') continue;
        raw += piece;
        try {
          options.onPartial?.(raw);
        } catch (error) {
          this.#options.logger?.warn('onPartial failed', { error: describeError(error) });
        }
      }
    } catch (error) {
      return this.#fallBack(input, classify(error, deadline), { error: describeError(error), partial: raw.slice(0, 200) });
    }

    const text = raw.trim();
    if (text === '') return this.#fallBack(input, 'malformed', { error: 'empty completion' });
    const verified = verifyAnswer(text, passages, this.#verify);
    if (!verified.ok) {
      const saysNothing = text.includes(NO_ANSWER_PHRASE) && verified.dropped.length === 0;
      return this.#fallBack(input, saysNothing ? 'no_answer' : 'unverified', { failure: verified.failure, dropped: verified.dropped, raw: text.slice(0, 500) });
    }
    const answer: Answer = { refused: false, outcome: 'answer', text: verified.text, citations: verified.citations, closestDocuments: [], mode: 'generative' };
    if (verified.dropped.length > 0) {
      this.#options.logger?.warn('generative answer repaired', { question: query.original, dropped: verified.dropped });
      answer.note = `已删除 ${verified.dropped.length} 句无法在原文中核实的内容`;
    }
    return answer;
  }

  async #fallBack(input: AnswerInput, reason: FallbackReason, context: Record<string, unknown>): Promise<Answer> {
    this.#options.logger?.warn('generative answer fell back to extractive', { reason, question: input.query.original, ...context });
    const answer = await this.#fallback.answer(input);
    return { ...answer, note: answer.note ? `${FALLBACK_NOTES[reason]}；${answer.note}` : FALLBACK_NOTES[reason] };
  }
}
