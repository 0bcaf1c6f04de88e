import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IndexStore, sectionPath, type KeywordColumnWeights, type KeywordDocument, type KeywordIndex } from '../../core/index.ts';
import { charBigrams, tokenize } from '../../core/text/index.ts';
import { chunkDocument, cleanText, inferTitle } from '../../ingest/index.ts';
import { KNOWLEDGE_DIR } from '../helpers/paths.ts';

/** Real policy chunks: two bundled documents, numbered as ingest numbers them. */
function policyChunks(): KeywordDocument[] {
  const documents: KeywordDocument[] = [];
  for (const file of ['bohai-new-area-reform-2019.txt', 'cangzhou-edz-new-concepts-2020.txt']) {
    const text = cleanText(readFileSync(path.join(KNOWLEDGE_DIR, file), 'utf8'));
    const title = inferTitle(text, file);
    for (const chunk of chunkDocument(file, text)) documents.push({ n: documents.length, title, section: sectionPath(chunk.headings), text: chunk.text });
  }
  return documents;
}

const EVEN: KeywordColumnWeights = { title: 1, section: 1, text: 1, grams: 1 };

let stores: IndexStore[] = [];
afterEach(() => {
  for (const store of stores) store.close();
  stores = [];
});

function indexOf(documents: KeywordDocument[]): { keyword: KeywordIndex; store: IndexStore } {
  const store = IndexStore.create(':memory:');
  stores.push(store);
  const writer = store.keyword.writer();
  store.transaction(() => {
    for (const document of documents) writer.add(document);
    writer.flush();
  });
  return { keyword: store.keyword, store };
}

function search(keyword: KeywordIndex, terms: string[], columns = EVEN, limit = 10) {
  return keyword.search(
    terms.map((term) => ({ term, weight: 1 })),
    columns,
    limit,
  );
}

describe('the keyword index', () => {
  it('keeps every jieba token and bigram whole: FTS5 splits the stored text on spaces only', () => {
    const document: KeywordDocument = { n: 0, title: '关于推行一窗通办的通知', section: '第二条', text: '实行“一窗通办”，2.5小时办结，covid-19防控期间网上办理。' };
    const { store } = indexOf([document]);
    store.db.exec(`CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, 'keyword', 'row')`);
    const stored = (store.db.prepare('SELECT term FROM temp.vocabulary').all() as { term: string }[]).map((row) => row.term).sort();
    const expected = [...new Set([...tokenize(document.title), ...tokenize(document.section), ...tokenize(document.text), ...charBigrams(document.text)])].sort();
    expect(stored).toEqual(expected);
    expect(stored).toEqual(expect.arrayContaining(['一窗通办', '2.5', 'covid-19', '~通办']));
    // A whole CJK word is found as itself, not as the characters in it.
    expect(search(store.keyword, ['一窗通办']).map((hit) => hit.id)).toEqual([0]);
    expect(search(store.keyword, ['窗通'])).toEqual([]);
  });

  it('weighs columns like field boosts and repeats heavier terms', () => {
    const { keyword } = indexOf([
      { n: 0, title: '容缺受理', section: '总则', text: '其他内容甲。' },
      { n: 1, title: '总则', section: '容缺受理', text: '其他内容乙。' },
      { n: 2, title: '总则', section: '总则', text: '帮办代办服务。' },
      ...['一', '二', '三'].map((number, index) => ({ n: 3 + index, title: '总则', section: '总则', text: `附则第${number}项。` })),
    ]);
    const bySection = search(keyword, ['容缺受理'], { title: 0.5, section: 1.5, text: 1, grams: 1 });
    expect(bySection.map((hit) => hit.id)).toEqual([1, 0]);
    expect(bySection[0]!.score / bySection[1]!.score).toBeGreaterThan(1.5);
    // The same two terms, weighted the other way round, put the other chunk first.
    const first = (weights: [number, number]) =>
      keyword.search(
        [
          { term: '容缺受理', weight: weights[0] },
          { term: '代办', weight: weights[1] },
        ],
        EVEN,
        10,
      )[0]!.id;
    expect(first([0.25, 1])).toBe(2);
    expect(first([1, 0.25])).not.toBe(2);
    // A term weighing twice the lightest counts exactly twice, as BM25 over a query naming it twice would.
    const alone = keyword.search([{ term: '代办', weight: 1 }], EVEN, 10)[0]!;
    const doubled = keyword.search([{ term: '代办', weight: 1 }, { term: '附则', weight: 0.5 }], EVEN, 10).find((hit) => hit.id === alone.id)!;
    expect(doubled.score).toBeCloseTo(2 * alone.score, 9);
  });

  it('counts document frequencies per chunk and takes a removed chunk out of them and of BM25', () => {
    const documents = policyChunks();
    const { keyword, store } = indexOf(documents);
    const expectedDf = (token: string, among: KeywordDocument[]) =>
      among.filter((document) => new Set([...tokenize(document.title), ...tokenize(document.section), ...tokenize(document.text), ...charBigrams(document.text)]).has(token)).length;
    for (const token of ['渤海新区', '改革', '~审批', '开发区']) expect(keyword.documentFrequency(token), token).toBe(expectedDf(token, documents));

    const removed = documents.filter((document) => document.title.includes('渤海'));
    const kept = documents.filter((document) => !removed.includes(document));
    const writer = keyword.writer();
    store.transaction(() => {
      for (const document of removed) writer.remove(document);
      writer.flush();
    });
    for (const token of ['渤海新区', '改革', '~审批', '开发区']) expect(keyword.documentFrequency(token), token).toBe(expectedDf(token, kept));
    // Scores as if the removed chunks had never been added: BM25's row count and lengths follow.
    const terms = ['改革', '开发区', '~审批', '项目'];
    expect(search(keyword, terms, EVEN, 20)).toEqual(search(indexOf(kept).keyword, terms, EVEN, 20));
    expect(search(keyword, ['渤海新区']).every((hit) => kept.some((document) => document.n === hit.id))).toBe(true);
  });

  it('returns one chunk of a passage another district adopted word for word: the one whose title the question names', () => {
    const text = '沧州市委部署，开发区综合执法局将利用20个工作日完成拆违治乱。';
    const { keyword } = indexOf([
      { n: 0, title: '沧州临港新区实施方案', section: '', text },
      { n: 1, title: '保定临港新区实施方案', section: '', text: text.replace('沧州', '保定').replace('20', '25') },
      { n: 2, title: '保定临港新区实施方案', section: '', text: '开发区另行部署拆违治乱工作。' },
    ]);
    expect(keyword.passageOf(0)).toBe(keyword.passageOf(1));
    expect(keyword.passageOf(2)).not.toBe(keyword.passageOf(0));
    const hits = search(keyword, ['拆违', '保定', '综合执法局']);
    expect(hits.map((hit) => hit.id).sort()).toEqual([1, 2]);
  });

  it('finds nothing for no terms', () => {
    expect(search(indexOf(policyChunks()).keyword, [])).toEqual([]);
  });
});
