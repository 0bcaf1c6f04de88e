// Table rows quoted in an answer read against their header; a header alone is no answer.
import { describe, expect, it } from 'vitest';
import { assessEvidence, ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

// As ingest reads tests/fixtures/dev-corpus/dev/jiangxi-touzi-xiangmu-rongque-shenpi-chengnuozhi-qingdan-2020.pdf.
const LIST: Excerpt = {
  docId: 'jiangxi-touzi-xiangmu-rongque-shenpi-chengnuozhi-qingdan-2020.pdf',
  title: '江西省投资项目“容缺审批+承诺制”办理模式事项清单',
  text: [
    '| 序号 | 事项名称 | 材料序号 | 申请材料 | 材料类型 |',
    '| 16 | 建筑工程施工许可证核发 | 1 | 并联审批的建筑工程施工许可证申请表 | 主审材料 |',
    '|  |  | 12 | 农民工工资保证金缴纳证明 | 容缺材料 |',
  ].join('\n'),
};

async function answerOf(question: string) {
  const query = analyzeQuery(question, loadDefaultLexicon());
  const { retrieved, stats } = passagesOf([LIST]);
  return new ExtractiveAnswerer().answer({ query, retrieved, evidence: assessEvidence(query, retrieved, stats) });
}

describe('table rows in an answer', () => {
  it('come under their header and its separator, the marker inside the last cell', async () => {
    const answer = await answerOf('江西办施工许可，农民工工资保证金缴纳证明可以容缺后补吗？');
    expect(answer.refused).toBe(false);
    const lines = answer.text.split('\n');
    const header = lines.indexOf('| 序号 | 事项名称 | 材料序号 | 申请材料 | 材料类型 |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe('| --- | --- | --- | --- | --- |');
    expect(lines.slice(header + 2)).toContainEqual(expect.stringMatching(/^\| {2}\| {2}\| 12 \| 农民工工资保证金缴纳证明 \| 容缺材料\[\d\] \|$/));
  });

  it('never quote the header row as if it stated something', async () => {
    const answer = await answerOf('江西容缺审批清单里事项名称和材料类型有哪些？');
    expect(answer.citations.map((citation) => citation.quote)).not.toContain('| 序号 | 事项名称 | 材料序号 | 申请材料 | 材料类型 |');
  });
});
