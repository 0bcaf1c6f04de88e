import { extractText } from '/work/main/ingest/load/loaders.ts';
import { cleanText } from '/work/main/ingest/clean.ts';
import { chunkDocument } from '/work/main/ingest/chunk.ts';
import { readFileSync } from 'node:fs';
const r = await extractText(readFileSync('/work/main/tests/fixtures/ingest/policy-page.html'), 'p.html');
console.log(JSON.stringify(r.text)); const c = cleanText(r.text); console.log(c); console.log(chunkDocument('p.html', c));
