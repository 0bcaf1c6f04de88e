/**
 * The channel's own HTTP client against a loopback server: it answers the way the SDK expects
 * (body unwrapped), has a deadline the SDK may shorten per request, keeps at most 64 connections
 * alive for reuse, and never touches the SDK's shared `defaultHttpInstance`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpInstance } from '@larksuiteoapi/node-sdk';
import { createHttpInstance } from '../../../../bot/chat/lark/index.ts';

let server: http.Server;
let baseUrl: string;
let connections = 0;
const shared = { timeout: defaultHttpInstance.defaults.timeout, httpAgent: defaultHttpInstance.defaults.httpAgent, httpsAgent: defaultHttpInstance.defaults.httpsAgent };

beforeAll(async () => {
  server = http.createServer((request, response) => {
    if (request.url === '/hang') return;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = () => {
        response.setHeader('content-type', 'application/json');
        response.setHeader('x-request-id', 'req-1');
        response.end(JSON.stringify({ code: 0, data: { method: request.method, body: Buffer.concat(chunks).toString() } }));
      };
      if (request.url === '/slow') setTimeout(reply, 300);
      else reply();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<{ code?: string; ms: number }> {
  const start = Date.now();
  const error = (await promise.then(() => undefined, (caught: unknown) => caught)) as { code?: string } | undefined;
  expect(error).toBeDefined();
  return { ...(error?.code ? { code: error.code } : {}), ms: Date.now() - start };
}

describe('createHttpInstance', () => {
  it('answers with the body, or body and headers when the SDK asks for them', async () => {
    const instance = createHttpInstance();
    expect(await instance.request({ url: `${baseUrl}/json`, method: 'get' })).toEqual({ code: 0, data: { method: 'GET', body: '' } });
    expect(await instance.post(`${baseUrl}/json`, { app_id: 'cli_1' })).toEqual({ code: 0, data: { method: 'POST', body: '{"app_id":"cli_1"}' } });
    const withHeaders = await instance.request<unknown, { data: unknown; headers: Record<string, string> }>({ url: `${baseUrl}/json`, method: 'patch', $return_headers: true });
    expect(withHeaders.data).toEqual({ code: 0, data: { method: 'PATCH', body: '' } });
    expect(withHeaders.headers['x-request-id']).toBe('req-1');
  });

  it('gives up after its deadline, and a per-request timeout wins over it', async () => {
    const own = await failure(createHttpInstance(200).get(`${baseUrl}/hang`));
    expect(own.code).toBe('ECONNABORTED');
    expect(own.ms).toBeLessThan(5_000);
    const perRequest = await failure(createHttpInstance(60_000).request({ url: `${baseUrl}/hang`, method: 'get', timeout: 200 }));
    expect(perRequest.code).toBe('ECONNABORTED');
    expect(perRequest.ms).toBeLessThan(5_000);
  }, 10_000);

  it('opens at most 64 connections and reuses them', async () => {
    connections = 0;
    const instance = createHttpInstance();
    const answers = await Promise.all(Array.from({ length: 80 }, () => instance.get(`${baseUrl}/slow`)));
    expect(answers).toHaveLength(80);
    expect(connections).toBe(64);
    await instance.get(`${baseUrl}/json`);
    expect(connections).toBe(64);
  });

  it('leaves the SDK-wide defaultHttpInstance as it was', () => {
    expect(defaultHttpInstance.defaults.timeout).toBe(shared.timeout);
    expect(defaultHttpInstance.defaults.httpAgent).toBe(shared.httpAgent);
    expect(defaultHttpInstance.defaults.httpsAgent).toBe(shared.httpsAgent);
  });
});
