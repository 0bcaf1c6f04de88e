import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/**
 * What the index needs from an embedding model: LangChain's `Embeddings` contract plus an identity.
 * `id` names the model and every setting that changes its vectors; an index built under another id
 * cannot be searched with this one and must be rebuilt.
 */
export interface IndexEmbedder extends EmbeddingsInterface {
  readonly id: string;
  readonly dimensions: number;
}
