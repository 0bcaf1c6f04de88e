/**
 * The admins' curation over the bundled index: a pinned clause answers its question and close
 * rewordings (not other questions on the same subject), an out-of-scope mark gives the plain
 * refusal, added vocabulary reaches the query, every change is seen by a second store on the same
 * folder (another replica, the question worker), and the regression file is the eval format.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { runRegression } from '../../../bot/console/index.ts';
import { readQuestions } from '../../../bot/eval/index.ts';
import { CuratedQaService, CurationStore, type PinnedClause } from '../../../bot/qa/index.ts';
import { openBundledQa, type OpenedQa } from '../../helpers/qa.ts';
import { appErrorOf } from '../../helpers/errors.ts';

const REFUSED = '住房公积金怎么提取？';
const ANSWERED = '渤海新区的项目审批现在平均多久能办完？';

let opened: OpenedQa;
let dir: string;

const curatedQa = (store: CurationStore) => new CuratedQaService({ index: opened.holder, embedder: opened.embedder, answerer: new ExtractiveAnswerer(), curation: store });

/** A clause of the index, as the console pins it. */
function clauseFor(text: string): PinnedClause {
  const handle = opened.holder.current;
  const chunk = handle.manifest.documents.flatMap((document) => handle.chunks.ofDocument(document)).find((candidate) => candidate.text.includes(text));
  if (!chunk) throw new Error(`no chunk with ${text}`);
  const document = opened.holder.current.documents.get(chunk.docId)!;
  return { docId: chunk.docId, title: document.title, section: chunk.headings.join(' › '), passage: chunk.text, quote: text };
}

beforeAll(() => {
  opened = openBundledQa();
  dir = mkdtempSync(path.join(os.tmpdir(), 'curation-'));
});

afterAll(() => {
  opened.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('curation', () => {
  it('answers a pinned question and its close variants with the clause, cited, and leaves other questions alone', async () => {
    const store = new CurationStore(path.join(dir, 'pins'));
    const qa = curatedQa(store);
    expect((await qa.ask('北京市科学技术奖包括哪些类别？')).answer.refused).toBe(true);
    const clause = clauseFor('平均2.5小时办结');
    store.pin('北京市科学技术奖包括哪些类别？', clause, 'ou_admin');
    for (const variant of ['北京市科学技术奖包括哪些类别', '北京市的科学技术奖都包括哪些类别呢', '北京科学技术奖包括什么类别']) {
      const { answer } = await qa.ask(variant);
      expect(answer).toMatchObject({ refused: false, outcome: 'answer', note: '管理员指定的答案' });
      expect(answer.citations).toEqual([expect.objectContaining({ n: 1, docId: clause.docId, passage: clause.passage })]);
      expect(answer.text).toContain('[1]');
    }
    // Same subject, another question; the same question about another place, or another year.
    store.pin('渤海新区2018年城乡低保标准是多少？', clause, 'ou_admin');
    expect((await qa.ask('渤海新区2018年的城乡低保标准是多少')).answer.note).toBe('管理员指定的答案');
    expect((await qa.ask('2022年渤海新区城乡低保标准是多少？')).answer.note).not.toBe('管理员指定的答案');
    for (const other of ['北京市科学技术奖的奖金是多少？', '北京市科学技术奖由谁评审？', '上海市科学技术奖包括哪些类别？']) {
      expect((await qa.ask(other)).answer.note).not.toBe('管理员指定的答案');
    }
  });

  it('falls back to the ordinary answer when the pinned clause is no longer in the index', async () => {
    const store = new CurationStore(path.join(dir, 'stale'));
    store.pin(REFUSED, { ...clauseFor('平均2.5小时办结'), passage: '一段已被删除的条款。' }, 'ou_admin');
    const { answer } = await curatedQa(store).ask(REFUSED);
    expect(answer.refused).toBe(true);
    expect(answer.note).toBeUndefined();
  });

  it('refuses a question marked out of scope with the plain refusal, even one it could answer', async () => {
    const store = new CurationStore(path.join(dir, 'scope'));
    const qa = curatedQa(store);
    expect((await qa.ask(ANSWERED)).answer.outcome).toBe('answer');
    store.markOutOfScope(ANSWERED, 'ou_admin');
    const { answer } = await qa.ask('渤海新区的项目审批现在平均多久能办完');
    expect(answer).toMatchObject({ refused: true, outcome: 'none', citations: [] });
    expect(answer.text).toContain('不在本机器人所收录政策文件的范围内');
    store.remove(ANSWERED);
    expect((await qa.ask(ANSWERED)).answer.outcome).toBe('answer');
  });

  it('adds vocabulary on top of the shipped lexicon, seen by a second store on the same folder', async () => {
    const folder = path.join(dir, 'lexicon');
    const console = new CurationStore(folder);
    const worker = new CurationStore(folder);
    const qa = curatedQa(worker);
    const question = '开个铺子要跑几次？';
    expect((await qa.retrieve(question)).query.expansions).not.toContain('企业开办');
    const shipped = worker.lexicon.get('技改');
    console.addTerms('expand', '铺子', ['企业开办', '个体工商户']);
    expect((await qa.retrieve(question)).query.expansions).toEqual(expect.arrayContaining(['企业开办']));
    // The shipped vocabulary is still there.
    expect(worker.lexicon.get('技改')).toEqual(shipped);
    console.addTerms('synonyms', '网办', ['一网通办']);
    worker.refresh();
    expect(worker.lexicon.get('网办')).toContain('一网通办');
    expect(worker.lexiconAdditions()).toEqual({ groups: [['网办', '一网通办']], expand: { 铺子: ['企业开办', '个体工商户'] } });
    expect((await appErrorOf((async () => console.addTerms('expand', '铺子', ['铺子']))())).code).toBe('invalid_argument');
    console.removeTerms('铺子');
    expect((await qa.retrieve(question)).query.expansions).not.toContain('企业开办');
    expect(worker.lexiconAdditions()).toEqual({ groups: [['网办', '一网通办']], expand: {} });
  });

  it('keeps a malformed file from stopping the answers: the last good state stays and the problem is told', async () => {
    const folder = path.join(dir, 'broken');
    const store = new CurationStore(folder);
    store.markOutOfScope(REFUSED, 'ou_admin');
    writeFileSync(path.join(folder, 'curation.json'), '{"entries": [{"action": "pin"}]}');
    store.refresh();
    expect(store.problem).toContain('curation.json');
    expect(store.entries()).toHaveLength(1);
    expect((await appErrorOf((async () => new CurationStore(folder))())).code).toBe('config_invalid');
  });

  it('keeps a regression file in the eval format, which passes while the decisions hold and fails when a pin breaks', async () => {
    const folder = path.join(dir, 'regression');
    const store = new CurationStore(folder);
    const qa = curatedQa(store);
    const clause = clauseFor('平均2.5小时办结');
    // A question the documents do not answer by themselves, so only the pin answers it.
    store.pin('北京市科学技术奖包括哪些类别？', clause, 'ou_admin');
    expect((await opened.qa.ask('北京市科学技术奖包括哪些类别？')).answer.refused).toBe(true);
    store.markOutOfScope(REFUSED, 'ou_admin');
    const questions = readQuestions(store.regressionFile);
    expect(questions).toEqual([
      { id: 'curated-001', doc: clause.docId, question: '北京市科学技术奖包括哪些类别？', evidence: ['平均2.5小时办结'] },
      { id: 'curated-002', question: REFUSED, answerable: false },
    ]);
    expect((await runRegression(store.regressionFile, qa)).map((result) => result.passed)).toEqual([true, true]);
    // The clause changed under the pin (a re-ingest of an edited document): the run says so.
    const decisions = JSON.parse(readFileSync(path.join(folder, 'curation.json'), 'utf8'));
    decisions.entries[0].clause.passage = '改写后的条款。';
    writeFileSync(path.join(folder, 'curation.json'), JSON.stringify(decisions));
    const results = await runRegression(store.regressionFile, qa);
    expect(results[0]).toMatchObject({ passed: false });
    expect(results[1]).toMatchObject({ passed: true });
  });
});
