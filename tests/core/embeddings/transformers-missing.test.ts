// EMBEDDINGS=transformers without `@huggingface/transformers` installed (it is an opt-in install that
// `npm ci` leaves out). The real dynamic import runs and fails: either of a package name that is never
// installed, or — where the package really is absent, as after `npm ci` in CI — of the real one,
// through the same entry point the bot and ingest use. Nothing here contacts the real model hub.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, } from '../../../core/index.ts';
import { createEmbedder } from '../../../core/embeddings/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const INSTALL_COMMAND = 'npm install --no-save @huggingface/transformers@3.8.1';
const NOT_INSTALLED = '@zhengwu-qa/package-that-is-never-installed';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const installed = existsSync(path.join(ROOT, 'node_modules/@huggingface/transformers/package.json'));

/** A hub that records every request (none is expected when the model files are in place). */
async function recordingHub(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('EMBEDDINGS=transformers with @huggingface/transformers not installed', () => {
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(os.tmpdir(), 'qa-models-'));
    // Complete-looking model folders, so the package is the only thing missing.
    for (const model of ['Xenova/bge-small-zh-v1.5', 'Local/complete-model']) {
      mkdirSync(path.join(cacheDir, model, 'onnx'), { recursive: true });
      for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) writeFileSync(path.join(cacheDir, model, file), '{}');
      writeFileSync(path.join(cacheDir, model, 'onnx/model.onnx'), '');
    }
  });
  afterAll(() => {
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const config = (extra: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: os.tmpdir(), EMBEDDINGS: 'transformers', TRANSFORMERS_CACHE_DIR: cacheDir, ...extra });

  it('fails at once with config_invalid naming EMBEDDINGS=transformers and the exact install command, without touching the network', async () => {
    const hub = await recordingHub();
    try {
      const started = performance.now();
      const error = await appErrorOf(
        createEmbedder(config({ EMBEDDINGS_MODEL: 'Local/complete-model' }), { transformers: { packageName: NOT_INSTALLED, remoteHost: hub.url } }),
      );
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(error.code).toBe('config_invalid');
      expect(error.message).toContain('EMBEDDINGS=transformers');
      expect(error.message).toContain('没有安装');
      expect(error.message).toContain(INSTALL_COMMAND);
      expect(hub.requests).toEqual([]);
    } finally {
      await hub.close();
    }
  });

  it.skipIf(installed)('the real package, through createEmbedder (runs where it is not installed, e.g. after npm ci)', async () => {
    const error = await appErrorOf(createEmbedder(config()));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('EMBEDDINGS=transformers');
    expect(error.message).toContain('没有安装');
    expect(error.message).toContain(INSTALL_COMMAND);
  });

  it('model missing too → one error names both the model settings and the install command', async () => {
    const hub = await recordingHub();
    try {
      const error = await appErrorOf(
        createEmbedder(config({ EMBEDDINGS_MODEL: 'Nobody/absent-model' }), { transformers: { packageName: NOT_INSTALLED, remoteHost: hub.url } }),
      );
      expect(error.code).toBe('embed_failed');
      expect(error.message).toContain('EMBEDDINGS_MODEL=Nobody/absent-model');
      expect(error.message).toContain(`TRANSFORMERS_CACHE_DIR=${cacheDir}`);
      expect(error.message).toContain(INSTALL_COMMAND);
    } finally {
      await hub.close();
    }
  });

  it('a package that is there but fails to load → says so, with the same command to reinstall', async () => {
    const broken = path.join(cacheDir, 'broken-package.mjs');
    writeFileSync(broken, "throw new Error('native binding missing');\n");
    const error = await appErrorOf(
      createEmbedder(config({ EMBEDDINGS_MODEL: 'Local/complete-model' }), { transformers: { packageName: pathToFileURL(broken).href } }),
    );
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('无法加载（native binding missing）');
    expect(error.message).toContain(INSTALL_COMMAND);
  });
});
