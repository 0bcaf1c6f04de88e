/**
 * @module The synthetic large corpus for the benchmark, generated at run time into a temporary
 * folder and never committed: N copies of every bundled document, each copy made distinct (another
 * place name, shifted multi-digit numbers, a unique closing line) so that content hashes differ
 * and the vocabulary grows a little, as it would with real documents from many districts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listKnowledgeFiles, KNOWLEDGE_MANIFEST, readKnowledgeManifest, type DocumentMetadata } from '../../ingest/index.ts';

const CITIES = ['沧州', '保定', '廊坊', '唐山', '邯郸', '邢台', '衡水', '承德', '张家口', '秦皇岛', '石家庄', '德州', '滨州', '东营', '潍坊', '聊城', '济宁', '泰安', '临沂', '日照'];
const AREAS = ['渤海新区', '临港新区', '滨海新区', '高新区', '空港新区', '北部新区', '东部新区', '南湖新区', '西部新区', '经开新区'];

function variant(copy: number): { city: string; area: string } {
  return { city: CITIES[copy % CITIES.length]!, area: AREAS[Math.floor(copy / CITIES.length) % AREAS.length]! };
}

/** The text of copy `copy` of a document. Single digits stay (list markers such as `1.` keep their shape). */
function varyText(text: string, copy: number): string {
  const { city, area } = variant(copy);
  return (
    `${text
      .replaceAll('沧州', city)
      .replaceAll('渤海新区', area)
      .replace(/\d{2,}/g, (digits) => String(Number(digits) + copy))}\n\n（基准测试合成副本 ${copy + 1}：${city}${area}）\n`
  );
}

function varyMetadata(metadata: DocumentMetadata, copy: number): DocumentMetadata {
  const { city, area } = variant(copy);
  return { ...metadata, title: `${metadata.title.replaceAll('沧州', city).replaceAll('渤海新区', area)}（副本${copy + 1}）` };
}

export function copyFileName(file: string, copy: number): string {
  const extension = path.extname(file);
  return `${path.basename(file, extension)}-c${String(copy).padStart(3, '0')}${extension}`;
}

/** Writes `copies` variants of every document in `sourceDir` (plus a matching manifest) into `targetDir`. */
export async function generateCorpus(sourceDir: string, targetDir: string, copies: number): Promise<{ files: number; bytes: number }> {
  const sources = await listKnowledgeFiles(sourceDir);
  const metadata = readKnowledgeManifest(sourceDir);
  const manifest: Record<string, DocumentMetadata> = {};
  let bytes = 0;
  for (const file of sources) {
    const text = await readFile(path.join(sourceDir, file), 'utf8');
    for (let copy = 0; copy < copies; copy++) {
      const name = copyFileName(file, copy);
      const content = varyText(text, copy);
      bytes += Buffer.byteLength(content);
      await writeFile(path.join(targetDir, name), content);
      const meta = metadata.get(file);
      if (meta) manifest[name] = varyMetadata(meta, copy);
    }
  }
  await writeFile(path.join(targetDir, KNOWLEDGE_MANIFEST), JSON.stringify({ documents: manifest }, null, 1));
  return { files: sources.length * copies, bytes };
}

/** Edits one document of the corpus the way an updated policy would be: a changed sentence and an added paragraph. */
export async function editDocument(targetDir: string, file: string): Promise<void> {
  const absolute = path.join(targetDir, file);
  const text = await readFile(absolute, 'utf8');
  const edited = `${text.replace(/。/, '（本句已修订）。')}\n\n补充说明：本文件已于基准测试中修订，新增本段用于检验增量导入。\n`;
  await writeFile(absolute, edited);
}
