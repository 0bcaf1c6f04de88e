/**
 * @module What the chat needs from question answering: an answer for a question in the context of
 * the conversation so far. In process for the terminal and tests; in a worker thread for Lark
 * (./worker/), so that answering never delays the acks and replies of other chats.
 */
import type { Answer } from '../answer/index.ts';
import { topicTerms, type FollowUpResolver, type QaService, type Turn } from '../qa/index.ts';

export interface ChatAnswer {
  answer: Answer;
  /** The question as understood, when a follow-up was rewritten. */
  understood?: string;
  /** Key terms of the question's topic, remembered for the next follow-up. */
  topic: string[];
  latencyMs: number;
}

export interface ChatQuestion {
  question: string;
  history: Turn[];
}

export interface ChatQa {
  answer(input: ChatQuestion, options?: { onPartial?: (text: string) => void }): Promise<ChatAnswer>;
  /** Switches to the index `CURRENT` points at now (after an ingest). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export class LocalChatQa implements ChatQa {
  readonly #qa: Pick<QaService, 'ask'>;
  readonly #followUps: FollowUpResolver | undefined;
  readonly #index: { refresh(): unknown; close(): void };

  constructor(options: { qa: Pick<QaService, 'ask'>; followUps?: FollowUpResolver; index: { refresh(): unknown; close(): void } }) {
    this.#qa = options.qa;
    this.#followUps = options.followUps;
    this.#index = options.index;
  }

  async answer({ question, history }: ChatQuestion, options: { onPartial?: (text: string) => void } = {}): Promise<ChatAnswer> {
    const understood = this.#followUps && history.length > 0 ? await this.#followUps.resolve(question, history) : undefined;
    const result = await this.#qa.ask(understood ?? question, options.onPartial ? { onPartial: options.onPartial } : {});
    return { answer: result.answer, ...(understood ? { understood } : {}), topic: topicTerms(result.query), latencyMs: result.latencyMs };
  }

  async refresh(): Promise<void> {
    this.#index.refresh();
  }

  async close(): Promise<void> {
    this.#index.close();
  }
}
