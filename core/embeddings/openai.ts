/**
 * @module Any OpenAI-compatible embeddings endpoint (bge-m3, text-embedding-v3, Ollama …) through
 * LangChain's `OpenAIEmbeddings`. The dimensions are learned from one probe call at start-up,
 * which also turns an unreachable endpoint into a clear error instead of a hang mid-ingest.
 */
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../config.ts';
import { AppError, describeError } from '../errors.ts';
import type { IndexEmbedder } from './types.ts';

export async function createOpenAIEmbedder(config: Config): Promise<IndexEmbedder> {
  const model = config.EMBEDDINGS_MODEL!;
  const baseURL = config.EMBEDDINGS_BASE_URL!;
  const client = new OpenAIEmbeddings({
    model,
    apiKey: config.EMBEDDINGS_API_KEY ?? 'not-needed',
    configuration: { baseURL },
    timeout: config.EMBEDDINGS_TIMEOUT_MS,
    maxRetries: 1,
  });
  let dimensions: number;
  try {
    dimensions = (await client.embedQuery('维度探测')).length;
  } catch (cause) {
    throw new AppError(
      'embed_failed',
      `无法连接嵌入服务 EMBEDDINGS_BASE_URL=${baseURL}（模型 ${model}）：${describeError(cause)}。请检查 EMBEDDINGS_BASE_URL / EMBEDDINGS_API_KEY / EMBEDDINGS_MODEL`,
      { cause },
    );
  }
  return Object.assign(client, { id: `openai:${model}@${new URL(baseURL).host}/${dimensions}`, dimensions });
}
