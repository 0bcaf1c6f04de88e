/**
 * @module The plain "not in the documents" answer: says what was not found, names the closest
 * documents so the user knows where the bot looked, and suggests what to do next.
 */
import type { RetrievedChunk } from '../retrieval/index.ts';
import type { Evidence } from './evidence.ts';
import type { Answer } from './types.ts';

function closestDocuments(retrieved: RetrievedChunk[], limit = 3): { docId: string; title: string }[] {
  const seen = new Map<string, string>();
  for (const hit of retrieved) {
    if (seen.size >= limit) break;
    if (!seen.has(hit.document.docId)) seen.set(hit.document.docId, hit.document.title);
  }
  return [...seen].map(([docId, title]) => ({ docId, title }));
}

export function refusalAnswer(retrieved: RetrievedChunk[], evidence: Evidence): Answer {
  const closest = closestDocuments(retrieved);
  const meaningful = evidence.concepts.filter((concept) => !concept.generic);
  const missing = evidence.missing.filter((surface) => meaningful.some((concept) => concept.surface === surface));
  const subject = missing.length > 0 ? `关于「${missing.slice(0, 3).join('、')}」的内容` : '能回答这个问题的明确规定';
  const lines = [
    meaningful.length === 0
      ? '请直接描述您想了解的政策问题，例如“一窗通办怎么办理？”或“技术改造有什么奖补？”。'
      : `知识库中没有找到${subject}，无法给出有依据的回答。`,
  ];
  if (meaningful.length > 0 && closest.length > 0) {
    lines.push(`最接近的文档：${closest.map((document) => `《${document.title}》`).join('、')}。`);
  }
  if (meaningful.length > 0) {
    lines.push('可以换个说法（例如使用文件中的正式名称）再问，或咨询相关主管部门、政务服务中心。');
  }
  return { refused: true, text: lines.join('\n'), citations: [], closestDocuments: closest, mode: 'extractive' };
}
