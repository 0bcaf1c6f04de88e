/**
 * @module The chat model as a question rewriter for follow-ups: short output, no retries, a tight
 * deadline. A slow or failing model only means the rule-based resolver answers instead.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../core/config.ts';

const REWRITE_TIMEOUT_MS = 8_000;

export function createQuestionRewriter(config: Config): (prompt: string) => Promise<string> {
  const model = new ChatOpenAI({
    model: config.LLM_MODEL!,
    apiKey: config.LLM_API_KEY || 'not-needed',
    configuration: { baseURL: config.LLM_BASE_URL! },
    temperature: 0,
    maxTokens: 120,
    timeout: Math.min(config.LLM_TIMEOUT_MS, REWRITE_TIMEOUT_MS),
    maxRetries: 0,
  });
  return async (prompt) => {
    const reply = await model.invoke(prompt);
    return typeof reply.content === 'string' ? reply.content : '';
  };
}
