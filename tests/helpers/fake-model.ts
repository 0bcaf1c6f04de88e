/**
 * The fake chat model's side of the generative tests: options pointing the real `ChatOpenAI`
 * client at the fake OpenAI-compatible server, a QA service answering through it, and helpers
 * for chat handlers that read the numbered passages out of the request the client sends.
 */
import { splitSentences } from '../../core/text/index.ts';
import { createGenerativeAnswerer, ExtractiveAnswerer, type Answerer, type GenerativeOptions } from '../../bot/answer/index.ts';
import type { Logger } from '../../core/index.ts';
import { QaService } from '../../bot/qa/index.ts';
import type { ChatRequest, FakeOpenAI } from '../fake-openai/index.ts';
import type { OpenedQa } from './qa.ts';

export interface Logged {
  message: string;
  context?: Record<string, unknown>;
}

/** Records warnings (what the answerers report); info and errors are not asserted on here. */
export function recordingLogger(): Logger & { entries: Logged[] } {
  const entries: Logged[] = [];
  return { entries, warn: (message, context) => entries.push({ message, ...(context ? { context } : {}) }), info() {}, error() {} };
}

export function llmOptions(fake: FakeOpenAI, overrides: Partial<GenerativeOptions> = {}): GenerativeOptions {
  return { baseUrl: fake.baseUrl, apiKey: 'test-key', model: 'fake-model', temperature: 0, timeoutMs: 5_000, maxTokens: 800, ...overrides };
}

export function generativeQa(index: Pick<OpenedQa, 'holder' | 'embedder'>, options: GenerativeOptions, fallback: Answerer = new ExtractiveAnswerer()): QaService {
  // The answerer's module loads on demand; the service is wanted synchronously by every test.
  const generative = createGenerativeAnswerer(options, fallback);
  const answerer: Answerer = { kind: 'generative', answer: async (input, answerOptions) => (await generative).answer(input, answerOptions) };
  return new QaService({ index: index.holder, embedder: index.embedder, answerer });
}

export interface SeenPassage {
  n: number;
  title: string;
  text: string;
}

/** The passages as the model saw them: `<passage n="1" title="…" …>text</passage>` in the user message. */
export function passagesOf(request: ChatRequest): SeenPassage[] {
  const user = request.messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n');
  return [...user.matchAll(/<passage n="(\d+)" title="([^"]*)"[^>]*>\n([\s\S]*?)\n<\/passage>/g)].map((match) => ({
    n: Number(match[1]),
    title: match[2]!,
    text: match[3]!,
  }));
}

function questionOf(request: ChatRequest): string {
  const user = request.messages.find((message) => message.role === 'user')?.content ?? '';
  return /<question>([\s\S]*?)<\/question>/.exec(user)?.[1] ?? '';
}

/** Sentences of a passage worth quoting (as the well-behaved model would). */
export function sentencesOf(text: string): string[] {
  return splitSentences(text)
    .map((sentence) => sentence.text)
    .filter((sentence) => sentence.length >= 8);
}

export function chatRequests(fake: FakeOpenAI) {
  return fake.requests.filter((request) => request.path === '/v1/chat/completions');
}

/** The sentence of `text` sharing most characters with the question. */
export function bestSentence(text: string, question: string): string {
  const wanted = new Set([...question].filter((char) => /\p{Script=Han}|\d/u.test(char)));
  const sentences = sentencesOf(text);
  let best = sentences[0] ?? text;
  let bestScore = -1;
  for (const sentence of sentences) {
    const score = new Set([...sentence].filter((char) => wanted.has(char))).size;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best;
}

/** A well-behaved model: the best sentence of passage 1, lightly framed, cited [1]. */
export function wellBehaved(request: ChatRequest): { content: string } {
  const passages = passagesOf(request);
  const first = passages[0];
  if (!first) return { content: '文档中没有相关规定。' };
  const sentence = bestSentence(first.text, questionOf(request)).replace(/[。；;，,]+$/, '');
  return { content: `根据《${first.title}》：\n${sentence}[1]。` };
}
