import { afterEach, describe, expect, it } from 'vitest';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { startFakeOpenAI, hashedEmbedding, type ChatBehaviour, type FakeOpenAI } from './index.ts';

const fakes: FakeOpenAI[] = [];
async function start(options: Parameters<typeof startFakeOpenAI>[0]): Promise<FakeOpenAI> {
  const fake = await startFakeOpenAI(options);
  fakes.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

function chat(fake: FakeOpenAI, extra: { timeout?: number; maxRetries?: number; apiKey?: string } = {}): ChatOpenAI {
  return new ChatOpenAI({
    model: 'fake-model',
    apiKey: extra.apiKey ?? 'test-key',
    configuration: { baseURL: fake.baseUrl },
    maxRetries: extra.maxRetries ?? 0,
    timeout: extra.timeout ?? 5_000,
  });
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

describe('fake OpenAI: chat completions with the real ChatOpenAI', () => {
  it('invoke returns the content and the request is recorded', async () => {
    const seen: { model: string; messages: { role: string; content: string }[]; stream: boolean }[] = [];
    const fake = await start({
      apiKey: 'test-key',
      chat: (req) => {
        seen.push({ model: req.model, messages: req.messages, stream: req.stream });
        return { content: '根据《政策文件》第三条，可以办理。' };
      },
    });
    const res = await chat(fake).invoke([new SystemMessage('你是政务助手'), new HumanMessage('能办理吗？')]);
    expect(res.content).toBe('根据《政策文件》第三条，可以办理。');
    expect(res.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(res.response_metadata.finish_reason).toBe('stop');

    expect(seen).toEqual([
      {
        model: 'fake-model',
        stream: false,
        messages: [
          { role: 'system', content: '你是政务助手' },
          { role: 'user', content: '能办理吗？' },
        ],
      },
    ]);
    expect(fake.requests).toHaveLength(1);
    const rec = fake.requests[0]!;
    expect(rec.method).toBe('POST');
    expect(rec.path).toBe('/v1/chat/completions');
    expect(rec.headers.authorization).toBe('Bearer test-key');
    expect(rec.body.model).toBe('fake-model');
  });

  it('stream() yields several chunks that join to the content, with usage', async () => {
    const content = '第一条：申请人应当提交身份证明。第二条：材料齐全的，当场受理。';
    const fake = await start({ chat: () => ({ content }) });
    const stream = await chat(fake).stream('请说明');
    const texts: string[] = [];
    let usageSeen = false;
    for await (const chunk of stream) {
      if (typeof chunk.content === 'string' && chunk.content.length > 0) texts.push(chunk.content);
      if (chunk.usage_metadata && chunk.usage_metadata.total_tokens > 0) usageSeen = true;
    }
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe(content);
    expect(usageSeen).toBe(true);
    const body = fake.requests[0]!.body;
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('429 → throws an error with status 429 (maxRetries: 0 → exactly one request)', async () => {
    const fake = await start({ chat: () => ({ status: 429 }) });
    const err: any = await chat(fake).invoke('hi').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err.status).toBe(429);
    expect(err.lc_error_code).toBe('MODEL_RATE_LIMIT');
    expect(err.headers.get('retry-after')).toBe('1');
    expect(fake.requests).toHaveLength(1);
  });

  it('429 then success is retried by LangChain when maxRetries > 0 (honours Retry-After)', async () => {
    let n = 0;
    const fake = await start({
      chat: (): ChatBehaviour => (n++ === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { content: 'ok after retry' }),
    });
    const res = await chat(fake, { maxRetries: 1 }).invoke('hi');
    expect(res.content).toBe('ok after retry');
    expect(fake.requests).toHaveLength(2);
  });

  it('500 and custom error bodies surface as status + message', async () => {
    const fake = await start({
      chat: () => ({ status: 500, body: { error: { message: 'boom', type: 'server_error', param: null, code: null } } }),
    });
    await expect(chat(fake).invoke('hi')).rejects.toMatchObject({ status: 500, message: expect.stringContaining('boom') });
  });

  it('wrong API key → 401', async () => {
    const fake = await start({ apiKey: 'right-key', chat: () => ({ content: 'never' }) });
    await expect(chat(fake, { apiKey: 'wrong-key' }).invoke('hi')).rejects.toMatchObject({
      status: 401,
      lc_error_code: 'MODEL_AUTHENTICATION',
    });
  });

  it('hang → the client timeout fires (TimeoutError) and close() still returns', async () => {
    const fake = await start({ chat: () => ({ hang: true }) });
    const t0 = Date.now();
    const err: any = await chat(fake, { timeout: 300 }).invoke('hi').then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('TimeoutError');
    expect(err.message).toMatch(/timed out/i);
  });

  it('hang while the client is still waiting: close() destroys the socket', async () => {
    const fake = await startFakeOpenAI({ chat: () => ({ hang: true }) });
    const pending = chat(fake, { timeout: 60_000 }).invoke('hi').then(
      () => 'resolved',
      () => 'rejected',
    );
    await expect.poll(() => fake.requests.length).toBe(1);
    await fake.close();
    expect(await pending).toBe('rejected');
  });

  it('malformed JSON (non-stream) → throws', async () => {
    const fake = await start({ chat: () => ({ malformed: '{"id": "chatcmpl-x", "choices": [' }) });
    await expect(chat(fake).invoke('hi')).rejects.toThrow();
  });

  it('malformed SSE (stream) → throws', async () => {
    const fake = await start({ chat: () => ({ malformed: '{not json' }) });
    const consume = async (): Promise<string> => {
      let s = '';
      for await (const c of await chat(fake).stream('hi')) s += String(c.content);
      return s;
    };
    await expect(consume()).rejects.toThrow();
  });

  it('GET /v1/models and unknown routes', async () => {
    const fake = await start({});
    const models = (await (await fetch(`${fake.baseUrl}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain('fake-model');
    const missing = await fetch(`${fake.baseUrl}/nope`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/Unknown request URL/);
  });
});

describe('fake OpenAI: embeddings with the real OpenAIEmbeddings', () => {
  const makeEmbeddings = (fake: FakeOpenAI): OpenAIEmbeddings =>
    new OpenAIEmbeddings({ model: 'fake-embed', apiKey: 'test-key', configuration: { baseURL: fake.baseUrl }, maxRetries: 0 });

  it('embedDocuments / embedQuery: 64 dims, normalised, deterministic, similar > unrelated', async () => {
    const fake = await start({ apiKey: 'test-key' });
    const emb = makeEmbeddings(fake);
    const docs = ['居民身份证办理需要携带户口簿', '营业执照年检的办理流程', 'The quick brown fox'];
    const vecs = await emb.embedDocuments(docs);
    expect(vecs).toHaveLength(3);
    for (const v of vecs) {
      expect(v).toHaveLength(64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    const again = await emb.embedDocuments(docs);
    expect(again).toEqual(vecs);

    const q = await emb.embedQuery('办理居民身份证要带什么');
    expect(q).toHaveLength(64);
    // base64 float32 round trip: equal to the server-side vector up to float32 precision
    const expected = hashedEmbedding('办理居民身份证要带什么');
    for (const [i, x] of q.entries()) expect(x).toBeCloseTo(expected[i]!, 6);

    const simSame = cosine(q, vecs[0]!);
    expect(simSame).toBeGreaterThan(cosine(q, vecs[1]!));
    expect(simSame).toBeGreaterThan(cosine(q, vecs[2]!));

    // What the client sends: default base64, string[] for documents, string for a query.
    const bodies = fake.requests.map((r) => r.body);
    expect(fake.requests.every((r) => r.path === '/v1/embeddings')).toBe(true);
    expect(bodies[0]).toMatchObject({ model: 'fake-embed', input: docs, encoding_format: 'base64' });
    expect(bodies.at(-1)).toMatchObject({ input: '办理居民身份证要带什么', encoding_format: 'base64' });
  });

  it('encodingFormat: "float", custom embed fn and dimensions', async () => {
    const fake = await start({ embed: (inputs) => inputs.map((t) => [t.length, 0, 1]) });
    const emb = new OpenAIEmbeddings({
      model: 'fake-embed',
      apiKey: 'k',
      configuration: { baseURL: fake.baseUrl },
      encodingFormat: 'float',
      maxRetries: 0,
    });
    expect(await emb.embedDocuments(['ab', 'abcd'])).toEqual([
      [2, 0, 1],
      [4, 0, 1],
    ]);
    expect(fake.requests[0]!.body.encoding_format).toBe('float');

    const fake2 = await start({});
    const emb2 = new OpenAIEmbeddings({ model: 'fake-embed', apiKey: 'k', configuration: { baseURL: fake2.baseUrl }, dimensions: 16 });
    expect(await emb2.embedQuery('hello')).toHaveLength(16);
  });
});
