// The pluggable embedders. `openai` runs end to end against the fake OpenAI-compatible server
// (the real OpenAIEmbeddings client over HTTP). `transformers` is tested on its failure paths
// only: its happy path needs the model files (Xenova/bge-small-zh-v1.5, ~100 MB) either in
// TRANSFORMERS_CACHE_DIR or downloadable from the model hub, and neither is available here
// (no network in CI). The tests below never contact the real hub: they point the embedder at
// 127.0.0.1 servers that refuse or hang.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, isAppError } from '../../../core/index.ts';
import { createEmbedder, LocalLexicalEmbeddings } from '../../../core/embeddings/index.ts';
import { IndexHolder } from '../../../bot/retrieval/index.ts';
import { DEFAULT_EMBEDDING_DIMS, startFakeOpenAI, type FakeOpenAI } from '../../fake-openai/index.ts';
import { KNOWLEDGE_DIR } from '../../helpers/paths.ts';
import { buildQa } from '../../helpers/qa.ts';
import { appErrorOf } from '../../helpers/errors.ts';
import { freePort } from '../../helpers/net.ts';

const config = (env: Record<string, string>) => loadConfig({ DATA_DIR: os.tmpdir(), ...env });

describe('EMBEDDINGS=local', () => {
  it('takes its dimensions from LOCAL_EMBEDDINGS_DIMENSIONS, and names the variable when it is wrong', async () => {
    const embedder = await createEmbedder(config({ LOCAL_EMBEDDINGS_DIMENSIONS: '256' }));
    expect(embedder.id).toBe('local-lexical-v1/256');
    expect((await embedder.embedQuery('容缺受理')).length).toBe(256);
    expect((await createEmbedder(config({}))).dimensions).toBe(128);
    expect(() => config({ LOCAL_EMBEDDINGS_DIMENSIONS: '8' })).toThrow(/LOCAL_EMBEDDINGS_DIMENSIONS/);
  });
});

describe('EMBEDDINGS=openai', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: 'embed-key' });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('ingests through the endpoint, searches with it, and refuses an index built by another embedder', async () => {
    const embedder = await createEmbedder(
      config({ EMBEDDINGS: 'openai', EMBEDDINGS_BASE_URL: fake.baseUrl, EMBEDDINGS_MODEL: 'fake-embed', EMBEDDINGS_API_KEY: 'embed-key' }),
    );
    expect(embedder.dimensions).toBe(DEFAULT_EMBEDDING_DIMS);
    expect(embedder.id).toBe(`openai:fake-embed@${new URL(fake.baseUrl).host}/${DEFAULT_EMBEDDING_DIMS}`);

    const index = await buildQa(KNOWLEDGE_DIR, { embedder });
    try {
      const embedCalls = fake.requests.filter((request) => request.path === '/v1/embeddings');
      expect(embedCalls.length).toBeGreaterThan(1); // the probe, then the ingest batches
      expect(embedCalls.every((request) => request.body.model === 'fake-embed')).toBe(true);

      const { retrieved } = await index.qa.retrieve('渤海新区的项目审批现在平均多久能办完？');
      expect(retrieved[0]?.chunk.text).toContain('2.5小时办结');
      expect(retrieved.some((hit) => hit.vectorSimilarity > 0)).toBe(true);

      const error = (() => {
        try {
          new IndexHolder(index.indexDir, new LocalLexicalEmbeddings());
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(isAppError(error, 'index_incompatible')).toBe(true);
      expect((error as Error).message).toContain('openai:fake-embed');
      expect((error as Error).message).toContain('npm run ingest');
    } finally {
      index.cleanup();
    }
  });

  it('fails fast with an error naming EMBEDDINGS_BASE_URL when the endpoint refuses connections', async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const started = performance.now();
    const error = await appErrorOf(createEmbedder(config({ EMBEDDINGS: 'openai', EMBEDDINGS_BASE_URL: baseUrl, EMBEDDINGS_MODEL: 'bge-m3' })));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('embed_failed');
    expect(error.message).toContain(`EMBEDDINGS_BASE_URL=${baseUrl}`);
  });

  it('gives up on a hanging endpoint after EMBEDDINGS_TIMEOUT_MS (one retry), not never', async () => {
    const hanging = await startFakeOpenAI({ embed: () => new Promise<number[][]>(() => {}) });
    try {
      const started = performance.now();
      const error = await appErrorOf(
        createEmbedder(config({ EMBEDDINGS: 'openai', EMBEDDINGS_BASE_URL: hanging.baseUrl, EMBEDDINGS_MODEL: 'bge-m3', EMBEDDINGS_TIMEOUT_MS: '300' })),
      );
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(error.code).toBe('embed_failed');
      expect(error.message).toContain('EMBEDDINGS_BASE_URL');
    } finally {
      await hanging.close();
    }
  });

  it('names the setting when the API key is rejected', async () => {
    const error = await appErrorOf(
      createEmbedder(config({ EMBEDDINGS: 'openai', EMBEDDINGS_BASE_URL: fake.baseUrl, EMBEDDINGS_MODEL: 'fake-embed', EMBEDDINGS_API_KEY: 'wrong' })),
    );
    expect(error.code).toBe('embed_failed');
    expect(error.message).toContain('EMBEDDINGS_API_KEY');
  });
});

describe('EMBEDDINGS=transformers (failure paths; the happy path needs model files this machine cannot have)', () => {
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'qa-models-'));
  });
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const transformersConfig = (extra: Record<string, string> = {}) =>
    config({ EMBEDDINGS: 'transformers', TRANSFORMERS_CACHE_DIR: cacheDir, ...extra });

  it('model not in the folder and hub unreachable → a clear error naming the settings, at once', async () => {
    const started = performance.now();
    const error = await appErrorOf(createEmbedder(transformersConfig(), { transformers: { remoteHost: `http://127.0.0.1:${await freePort()}/` } }));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error.code).toBe('embed_failed');
    expect(error.message).toContain('EMBEDDINGS_MODEL=Xenova/bge-small-zh-v1.5');
    expect(error.message).toContain(`TRANSFORMERS_CACHE_DIR=${cacheDir}`);
  });

  it('hub that accepts the connection but never answers → gives up after EMBEDDINGS_TIMEOUT_MS', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = http.createServer(() => {});
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = performance.now();
      const error = await appErrorOf(
        createEmbedder(transformersConfig({ EMBEDDINGS_MODEL: 'Xenova/some-model', EMBEDDINGS_TIMEOUT_MS: '300' }), {
          transformers: { remoteHost: `http://127.0.0.1:${port}/` },
        }),
      );
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(error.message).toContain('EMBEDDINGS_MODEL=Xenova/some-model');
      expect(error.message).toContain('300 ms 内无响应');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('model folder present but broken → loads offline only (no network request) and says the files are incomplete', async () => {
    const requests: string[] = [];
    const hub = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const model = 'Local/broken-model';
    mkdirSync(path.join(cacheDir, model), { recursive: true });
    writeFileSync(path.join(cacheDir, model, 'config.json'), JSON.stringify({ model_type: 'bert' }));
    try {
      const { port } = hub.address() as AddressInfo;
      const error = await appErrorOf(createEmbedder(transformersConfig({ EMBEDDINGS_MODEL: model }), { transformers: { remoteHost: `http://127.0.0.1:${port}/` } }));
      expect(error.code).toBe('embed_failed');
      expect(error.message).toContain(`EMBEDDINGS_MODEL=${model}`);
      expect(error.message).toContain('本地模型文件不完整');
      expect(requests).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => hub.close(() => resolve()));
    }
  });

  it('an unknown model on a reachable hub → says so', async () => {
    const hub = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hub.address() as AddressInfo;
      const error = await appErrorOf(createEmbedder(transformersConfig({ EMBEDDINGS_MODEL: 'Nobody/no-such-model' }), { transformers: { remoteHost: `http://127.0.0.1:${port}/` } }));
      expect(error.message).toContain('HTTP 404');
    } finally {
      await new Promise<void>((resolve) => hub.close(() => resolve()));
    }
  });
});
