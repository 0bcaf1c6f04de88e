/**
 * @module A local Transformers.js model (`EMBEDDINGS=transformers`), e.g. `Xenova/bge-small-zh-v1.5`,
 * run on the CPU through onnxruntime-node. `@huggingface/transformers` (~370 MB with onnxruntime and
 * sharp) is an opt-in install, not a dependency: `npm ci` leaves it out, it is imported only when this
 * embedder is configured, and without it start-up fails at once naming the install command.
 *
 * Model files live in `TRANSFORMERS_CACHE_DIR/<EMBEDDINGS_MODEL>/` (default `DATA_DIR/models`):
 *  - present there → checked for the files a load needs, then loaded with remote access switched
 *    off: never touches the network;
 *  - absent → one reachability probe of the model hub with `EMBEDDINGS_TIMEOUT_MS`, then a
 *    download into that folder; an unreachable hub is a clear error naming the settings at once,
 *    not a hang (the hub itself is unreachable from networks that block it; copy the folder in).
 * The model is checked before a missing package is reported, so one failed start names everything
 * the operator has to provide.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.ts';
import { AppError, describeError } from '../errors.ts';
import type { IndexEmbedder } from './types.ts';

export const DEFAULT_TRANSFORMERS_MODEL = 'Xenova/bge-small-zh-v1.5';
const DEFAULT_REMOTE_HOST = 'https://huggingface.co/';

/** The package (and the version this embedder is tested with) and the command that installs it. */
const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
const TRANSFORMERS_INSTALL_COMMAND = `npm install --no-save ${TRANSFORMERS_PACKAGE}@3.8.1`;

/** The part of `@huggingface/transformers` used here (typed locally: the package is not installed by default). */
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

type FeatureExtractor = (texts: string | string[], options: { pooling: 'cls' | 'mean'; normalize: boolean }) => Promise<{ tolist(): unknown }>;

export interface TransformersEmbedderOptions {
  /** Model hub to download from (a mirror, or a local server in tests). */
  remoteHost?: string;
  /** Texts embedded per model call. */
  batchSize?: number;
  /** The module to import instead of `@huggingface/transformers` (tests name one that is not installed). */
  packageName?: string;
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

/** `also` is appended when something else is missing too (the package), so one message names everything. */
function loadFailure(model: string, dir: string, detail: string, cause?: unknown, also?: AppError): AppError {
  return new AppError(
    'embed_failed',
    `无法加载嵌入模型 EMBEDDINGS_MODEL=${model}：${detail}。请把模型文件放到 TRANSFORMERS_CACHE_DIR=${dir} 下的 ${model}/ 目录（含 config.json、tokenizer.json、tokenizer_config.json、onnx/model.onnx），或在能访问模型仓库的网络中首次运行以自动下载${also ? `。另外：${also.message}` : ''}`,
    { cause },
  );
}

/** Imports the package; a missing or broken install becomes the error to report (not thrown yet). */
async function importTransformers(specifier: string): Promise<TransformersModule | AppError> {
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (cause) {
    const notInstalled =
      cause instanceof Error && (cause as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && cause.message.includes(`'${specifier}'`);
    const problem = notInstalled
      ? `但它没有安装（约 370 MB，npm ci 默认不装）`
      : `但它无法加载（${describeError(cause)}），安装可能不完整`;
    return new AppError(
      'config_invalid',
      `EMBEDDINGS=transformers 需要 ${TRANSFORMERS_PACKAGE}，${problem}。请在项目目录运行：${TRANSFORMERS_INSTALL_COMMAND}（之后每次 npm ci / npm install 都会把它删掉，需要重新运行），或改用 EMBEDDINGS=local / openai`,
      { cause },
    );
  }
}

/** What a folder that has config.json lacks for a load (empty when complete). */
function missingModelFiles(folder: string): string[] {
  const missing = ['tokenizer.json', 'tokenizer_config.json'].filter((file) => !existsSync(path.join(folder, file)));
  const onnxDir = path.join(folder, 'onnx');
  if (!existsSync(onnxDir) || !readdirSync(onnxDir).some((file) => file.endsWith('.onnx'))) missing.push('onnx/*.onnx');
  return missing;
}

/** Asks the hub for the model's config.json; throws a clear error when it cannot be reached in time. */
async function probeHub(remoteHost: string, model: string, dir: string, timeoutMs: number, also?: AppError): Promise<void> {
  const url = new URL(`${model}/resolve/main/config.json`, remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (cause) {
    const reason = cause instanceof Error && cause.name === 'TimeoutError' ? `${timeoutMs} ms 内无响应` : describeError(cause);
    throw loadFailure(model, dir, `本地没有该模型，且无法连接模型仓库 ${url.origin}（${reason}）`, cause, also);
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw loadFailure(model, dir, `本地没有该模型，模型仓库 ${url.origin} 返回 HTTP ${response.status}（模型名是否正确？）`, undefined, also);
}

export async function createTransformersEmbedder(config: Config, options: TransformersEmbedderOptions = {}): Promise<IndexEmbedder> {
  const model = config.EMBEDDINGS_MODEL ?? DEFAULT_TRANSFORMERS_MODEL;
  const dir = path.resolve(config.TRANSFORMERS_CACHE_DIR ?? path.join(config.DATA_DIR, 'models'));
  const transformers = await importTransformers(options.packageName ?? TRANSFORMERS_PACKAGE);
  const packageMissing = transformers instanceof AppError ? transformers : undefined;
  const remoteHost = options.remoteHost ?? DEFAULT_REMOTE_HOST;
  const present = existsSync(path.join(dir, model, 'config.json'));
  if (present) {
    const missing = missingModelFiles(path.join(dir, model));
    if (missing.length > 0) throw loadFailure(model, dir, `本地模型文件不完整（缺少 ${missing.join('、')}）`, undefined, packageMissing);
  } else {
    // Without the files, reach out only after the hub answered the probe.
    await probeHub(remoteHost, model, dir, config.EMBEDDINGS_TIMEOUT_MS, packageMissing);
  }
  if (transformers instanceof AppError) throw transformers;
  const { env, pipeline } = transformers;
  env.localModelPath = dir;
  env.cacheDir = dir;
  env.allowLocalModels = true;
  env.useFSCache = true;
  env.remoteHost = remoteHost;
  // With the files in place, never reach out.
  env.allowRemoteModels = !present;

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
