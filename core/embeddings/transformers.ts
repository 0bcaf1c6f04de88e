import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import type { IndexEmbedder } from './types.ts';

export async function createTransformersEmbedder(_config: Config): Promise<IndexEmbedder> {
  throw new AppError('config_invalid', 'EMBEDDINGS=transformers 尚未实现');
}
