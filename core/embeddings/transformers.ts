/**
 * @module A local Transformers.js model (`EMBEDDINGS=transformers`), e.g. `Xenova/bge-small-zh-v1.5`,
 * run on the CPU through onnxruntime-node. `@huggingface/transformers` is an optional dependency,
 * loaded only when this embedder is configured.
 *
 * Model files live in `TRANSFORMERS_CACHE_DIR/<EMBEDDINGS_MODEL>/` (default `DATA_DIR/models`):
 *  - present there → loaded with remote access switched off: never touches the network;
 *  - absent → one reachability probe of the model hub with `EMBEDDINGS_TIMEOUT_MS`, then a
 *    download into that folder; an unreachable hub is a clear error naming the settings at once,
 *    not a hang (the hub itself is unreachable from networks that block it; copy the folder in).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { AppError, describeError } from '../errors.ts';
import type { IndexEmbedder } from './types.ts';

export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/bge-small-zh-v1.5';
const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

/** The part of `@huggingface/transformers` used here (typed locally: the package is optional). */
interface TransformersModule {
  env: {
    localModelPath: string;
    cacheDir: string;
    allowLocalModels: boolean;
    allowRemoteModels: boolean;
    useFSCache: boolean;
    remoteHost: string;
  };
  pipeline(task: 'feature-extraction', model: string): Promise<unknown>;
}
const TRANSFORMERS_PACKAGE = '@huggingface/transformers';

type FeatureExtractor = (texts: string | string[], options: { pooling: 'cls' | 'mean'; normalize: boolean }) => Promise<{ tolist(): unknown }>;

export interface TransformersEmbedderOptions {
  /** Model hub to download from (a mirror, or a local server in tests). */
  remoteHost?: string;
  /** Texts embedded per model call. */
  batchSize?: number;
}

class TransformersEmbeddings extends Embeddings implements IndexEmbedder {
  id: string;
  dimensions = 0;
  readonly #extract: FeatureExtractor;
  readonly #pooling: 'cls' | 'mean';
  readonly #batchSize: number;

  constructor(model: string, extract: FeatureExtractor, batchSize: number) {
    super({ maxConcurrency: 1 });
    this.#extract = extract;
    // BGE models are trained with the [CLS] vector; sentence-transformers models with the mean.
    this.#pooling = /bge/i.test(model) ? 'cls' : 'mean';
    this.#batchSize = batchSize;
    this.id = `transformers:${model}:${this.#pooling}-norm`;
  }

  async #run(texts: string[]): Promise<number[][]> {
    const output = await this.#extract(texts, { pooling: this.#pooling, normalize: true });
    return output.tolist() as number[][];
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) vectors.push(...(await this.#run(texts.slice(start, start + this.#batchSize))));
    return vectors;
  }

  override async embedQuery(text: string): Promise<number[]> {
    return (await this.#run([text]))[0] ?? [];
  }
}

function loadFailure(model: string, dir: string, detail: string, cause?: unknown): AppError {
  return new AppError(
    'embed_failed',
    `无法加载嵌入模型 EMBEDDINGS_MODEL=${model}：${detail}。请把模型文件放到 TRANSFORMERS_CACHE_DIR=${dir} 下的 ${model}/ 目录（含 config.json、tokenizer.json、onnx/model.onnx），或在能访问模型仓库的网络中首次运行以自动下载`,
    { cause },
  );
}

/** Asks the hub for the model's config.json; throws a clear error when it cannot be reached in time. */
async function probeHub(remoteHost: string, model: string, dir: string, timeoutMs: number): Promise<void> {
  const url = new URL(`${model}/resolve/main/config.json`, remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === 'TimeoutError' ? `${timeoutMs} ms 内无响应` : describeError(cause);
    throw loadFailure(model, dir, `本地没有该模型，且无法连接模型仓库 ${url.origin}（${reason}）`, cause);
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw loadFailure(model, dir, `本地没有该模型，模型仓库 ${url.origin} 返回 HTTP ${response.status}（模型名是否正确？）`);
}

export async function createTransformersEmbedder(config: Config, options: TransformersEmbedderOptions = {}): Promise<IndexEmbedder> {
  const model = config.EMBEDDINGS_MODEL ?? DEFAULT_TRANSFORMERS_MODEL;
  const dir = path.resolve(config.TRANSFORMERS_CACHE_DIR ?? path.join(config.DATA_DIR, 'models'));
  let transformers: TransformersModule;
  try {
    transformers = (await import(TRANSFORMERS_PACKAGE)) as TransformersModule;
  } catch (cause) {
    throw new AppError(
      'config_invalid',
      `EMBEDDINGS=transformers 需要可选依赖 @huggingface/transformers，但它未安装或无法加载（${describeError(cause)}）。请运行 npm install（或改用 EMBEDDINGS=local / openai）`,
      { cause },
    );
  }
  const { env, pipeline } = transformers;
  const present = existsSync(path.join(dir, model, 'config.json'));
  env.localModelPath = dir;
  env.cacheDir = dir;
  env.allowLocalModels = true;
  env.useFSCache = true;
  env.remoteHost = options.remoteHost ?? DEFAULT_REMOTE_HOST;
  // With the files in place, never reach out; without them, only after the hub answered the probe.
  env.allowRemoteModels = !present;
  if (!present) await probeHub(env.remoteHost, model, dir, config.EMBEDDINGS_TIMEOUT_MS);

  let extract: FeatureExtractor;
  try {
    extract = (await pipeline('feature-extraction', model)) as unknown as FeatureExtractor;
  } catch (cause) {
    throw loadFailure(model, dir, present ? `本地模型文件不完整或无法读取（${describeError(cause)}）` : `下载失败（${describeError(cause)}）`, cause);
  }
  const embedder = new TransformersEmbeddings(model, extract, options.batchSize ?? 16);
  try {
    embedder.dimensions = (await embedder.embedQuery('维度探测')).length;
  } catch (cause) {
    throw loadFailure(model, dir, `模型无法运行（${describeError(cause)}）`, cause);
  }
  embedder.id = `${embedder.id}/${embedder.dimensions}`;
  return embedder;
}
