/**
 * @module Picks the embedder named by `EMBEDDINGS`. Only the local one works offline; the others
 * are created on demand so their packages and endpoints are touched only when configured.
 */
import type { Config } from '../config.ts';
import { LocalLexicalEmbeddings } from './local.ts';
import type { TransformersEmbedderOptions } from './transformers.ts';
import type { IndexEmbedder } from './types.ts';

export type { IndexEmbedder } from './types.ts';
export { LocalLexicalEmbeddings } from './local.ts';

/** `transformers`: where the model hub and the package are looked for (tests point them at fakes). */
export async function createEmbedder(config: Config, options: { transformers?: TransformersEmbedderOptions } = {}): Promise<IndexEmbedder> {
  switch (config.EMBEDDINGS) {
    case 'local':
      return new LocalLexicalEmbeddings({ dimensions: config.LOCAL_EMBEDDINGS_DIMENSIONS });
    case 'openai':
      return (await import('./openai.ts')).createOpenAIEmbedder(config);
    case 'transformers':
      return (await import('./transformers.ts')).createTransformersEmbedder(config, options.transformers);
  }
}
