import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildKeywordIndex, createKeywordIndex, sectionPath, type KeywordDocument } from '../../core/index.ts';
import { chunkDocument, cleanText, inferTitle } from '../../ingest/index.ts';
import { KNOWLEDGE_DIR } from '../helpers/paths.ts';

/** Real policy chunks: the head of two bundled documents, numbered as ingest numbers them. */
function policyChunks(): KeywordDocument[] {
  const documents: KeywordDocument[] = [];
  for (const file of ['bohai-new-area-reform-2019.txt', 'cangzhou-edz-new-concepts-2020.txt']) {
    const text = cleanText(readFileSync(path.join(KNOWLEDGE_DIR, file), 'utf8'));
    const title = inferTitle(text, file);
    for (const chunk of chunkDocument(file, text)) {
      documents.push({ n: documents.length, title, section: sectionPath(chunk.headings), text: chunk.text });
    }
  }
  return documents;
}

function addedOneByOne(documents: KeywordDocument[]) {
  const keyword = createKeywordIndex();
  keyword.addAll(documents);
  return keyword;
}

afterEach(() => {
  vi.doUnmock('minisearch');
  vi.resetModules();
});

// buildKeywordIndex reaches into MiniSearch internals; these fail when an upgrade changes them.
describe('buildKeywordIndex', () => {
  const documents = policyChunks();

  it('serializes byte for byte like adding the chunks one by one', () => {
    const bulk = buildKeywordIndex(documents);
    const plain = addedOneByOne(documents);
    expect(documents.length).toBeGreaterThan(10);
    expect(bulk.termCount).toBeGreaterThan(500);
    expect(bulk.termCount).toBe(plain.termCount);
    expect(JSON.stringify(bulk)).toBe(JSON.stringify(plain));
  });

  it('finds the same chunks with the same scores, also by prefix and fuzzy lookups in the term tree', () => {
    const bulk = buildKeywordIndex(documents);
    const plain = addedOneByOne(documents);
    const searches: [string, Parameters<typeof bulk.search>[1]][] = [
      ['营商环境', {}],
      ['行政审批制度改革', { combineWith: 'OR' }],
      ['创新 发展', { prefix: true }],
      ['开发区管理', { fuzzy: 0.3, prefix: true, boost: { section: 1.5, title: 0.5 } }],
    ];
    for (const [query, options] of searches) {
      const hits = bulk.search(query, options);
      expect(hits.length, query).toBeGreaterThan(0);
      expect(hits, query).toEqual(plain.search(query, options));
    }
  });

  it.each([
    ['no _index', (index: object) => Reflect.deleteProperty(index, '_index')],
    ['a non-empty _index', (index: { _index: Map<string, unknown> }) => index._index.set('预置', new Map())],
  ])('refuses a MiniSearch with %s, naming the library and its version', async (_case, change) => {
    vi.doMock('minisearch', async (importOriginal) => {
      const actual = await importOriginal<typeof import('minisearch')>();
      class Changed extends actual.default {
        constructor(...args: ConstructorParameters<typeof actual.default>) {
          super(...args);
          change(this as never);
        }
      }
      return { ...actual, default: Changed };
    });
    const core = await import('../../core/index.ts');
    expect(() => core.buildKeywordIndex(documents)).toThrow(
      expect.objectContaining({ name: 'AppError', code: 'dependency_incompatible', message: expect.stringMatching(/^minisearch \d+\.\d+\.\d+ .*_index/) }),
    );
  });
});
