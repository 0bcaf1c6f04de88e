/**
 * @module Question answering with the admins' decisions on top (the decorator the composition
 * root applies, so the chat, the terminal, the question worker, "Try a question" and the eval CLI
 * all answer alike): a question close to a pinned one is answered with its clause, cited; one
 * close to an out-of-scope one gets the plain "not covered" refusal; any other is answered as
 * usual, with the admins' vocabulary added to the lexicon.
 */
import { matchKey } from '../../../core/text/index.ts';
import type { Answer } from '../../answer/index.ts';
import type { IndexSource } from '../../retrieval/index.ts';
import { QaService, type AskOptions, type AskResult, type QaOptions, type Retrieval } from '../service.ts';
import type { CurationStore, PinnedClause } from './curation-store.ts';

const OUT_OF_SCOPE_TEXT = '这个问题不在本机器人所收录政策文件的范围内，无法给出有依据的回答。\n如需办理或咨询，请联系相关主管部门或政务服务中心。';

function pinnedAnswer(clause: PinnedClause): Answer {
  const where = clause.section ? `（${clause.section}）` : '';
  return {
    refused: false,
    outcome: 'answer',
    text: `根据《${clause.title}》${where}：\n${clause.passage}[1]`,
    citations: [{ n: 1, ...clause }],
    closestDocuments: [],
    mode: 'extractive',
    note: '管理员指定的答案',
  };
}

const outOfScopeAnswer: Answer = { refused: true, outcome: 'none', text: OUT_OF_SCOPE_TEXT, citations: [], closestDocuments: [], mode: 'extractive', note: '管理员已标记为不在范围内' };

export class CuratedQaService extends QaService {
  readonly #curation: CurationStore;
  readonly #index: IndexSource;

  constructor(options: Omit<QaOptions, 'lexicon'> & { curation: CurationStore }) {
    const { curation, ...rest } = options;
    super({ ...rest, lexicon: curation.lexicon });
    this.#curation = curation;
    this.#index = options.index;
  }

  override async retrieve(question: string): Promise<Retrieval> {
    this.#curation.refresh();
    return super.retrieve(question);
  }

  override async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    const started = performance.now();
    this.#curation.refresh();
    const entry = this.#curation.match(question)?.entry;
    const handle = this.#index.current;
    // A pinned clause that a re-ingest changed or removed no longer answers; the ordinary answer
    // does, and the regression run reports the pin as failing.
    const answer = entry?.action === 'out_of_scope' ? outOfScopeAnswer : entry?.action === 'pin' && clauseIndexed(handle, entry.clause) ? pinnedAnswer(entry.clause) : undefined;
    if (!answer) return super.ask(question, options);
    const { query, retrieved, evidence } = await super.retrieve(question);
    return { question, query, answer, evidence, retrieved, indexVersion: handle.manifest.version, latencyMs: performance.now() - started };
  }
}

function clauseIndexed(handle: IndexSource['current'], clause: PinnedClause): boolean {
  const key = matchKey(clause.passage);
  const document = handle.documents.get(clause.docId);
  return document !== undefined && handle.chunks.ofDocument(document).some((chunk) => matchKey(chunk.text) === key);
}
