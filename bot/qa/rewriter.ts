/**
 * @module The chat model as a question rewriter for follow-ups: short output, no retries, a tight
 * deadline. A slow or failing model only means the rule-based resolver answers instead.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { LlmSettings } from '../../core/index.ts';

const REWRITE_TIMEOUT_MS = 8_000;

export function createQuestionRewriter(llm: LlmSettings): (prompt: string) => Promise<string> {
  const model = new ChatOpenAI({
    model: llm.model,
    apiKey: llm.apiKey || 'not-needed',
    configuration: { baseURL: llm.baseUrl },
    temperature: 0,
    maxTokens: 120,
    timeout: Math.min(llm.timeoutMs, REWRITE_TIMEOUT_MS),
    maxRetries: 0,
  });
  return async (prompt) => {
    const reply = await model.invoke(prompt);
    return typeof reply.content === 'string' ? reply.content : '';
  };
}
