import { extractText } from '/work/main/ingest/load/loaders.ts';
import { readFileSync } from 'node:fs';
import { loadConfig } from '/work/main/core/config.ts';

function pdf(text: string): Buffer {
  const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${body}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const t0 = performance.now();
console.log(await extractText(pdf('Article 1. Hello policy world.'), 'a.pdf'), performance.now() - t0);
const d = await extractText(readFileSync('/work/shared/more-policy-docs/anyang-zhengwu-fuwu-tiaoli.docx'), 'x.docx');
console.log(d.text.slice(0, 300), performance.now() - t0);
for (const [name, buf] of [['ole.docx', Buffer.from([0xd0,0xcf,0x11,0xe0,0xa1,0xb1,0x1a,0xe1, 0,0,0])], ['z.docx', readFileSync('/tmp/exp/z.zip')], ['p.txt', pdf('x')]] as const) {
  try { console.log(await extractText(buf as Buffer, name)); } catch (e: any) { console.log(name, e.code, e.message); }
}
console.log(loadConfig({}, '/tmp'));
console.log(loadConfig({PORT: ' ', MAX_FILE_MB: ''}, '/tmp').PORT);
for (const env of [{PORT: 'abc'}, {LARK_APP_ID: 'x'}, {MAX_FILE_MB: 'abc'}]) { try { loadConfig(env) } catch (e: any) { console.log(e.code, e.message) } }
