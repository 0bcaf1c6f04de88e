/**
 * A decompression bomb shaped as a valid .docx: a tiny package whose word/document.xml inflates to
 * `inflatedBytes` of repeated paragraphs. Written by hand (not with a zip library) because one
 * variant must lie: its headers declare a small uncompressed size, as an attacker's would. The XML
 * is deflated as a stream, so making the bomb never holds the inflated text in memory.
 */
import { once } from 'node:events';
import { crc32, createDeflateRaw } from 'node:zlib';

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

interface Part {
  name: string;
  data: Buffer;
  crc: number;
  size: number;
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
}

function stored(name: string, text: string): Part {
  const data = Buffer.from(text);
  return { name, data, crc: crc32(data), size: data.length, method: 0 };
}

async function deflatedXml(inflatedBytes: number): Promise<Part> {
  const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W_NS}"><w:body>`);
  const tail = Buffer.from('</w:body></w:document>');
  // Many small paragraphs, as in a real document: each one a few DOM nodes for a reader that parses it.
  const unit = Buffer.from('<w:p><w:r><w:t>第一条 为规范政务服务事项办理，根据有关规定制定本办法。</w:t></w:r></w:p>'.repeat(64));
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  let crc = 0;
  let size = 0;
  const write = async (chunk: Buffer) => {
    crc = crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await once(deflate, 'drain');
  };
  await write(head);
  while (size + unit.length + tail.length <= inflatedBytes) await write(unit);
  await write(tail);
  deflate.end();
  await once(deflate, 'end');
  return { name: 'word/document.xml', data: Buffer.concat(out), crc, size, method: 8 };
}

/** A zip with the given parts; `declaredSize` overrides what the headers say the XML inflates to. */
function zip(parts: Part[], declaredSize?: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const size = part.method === 8 && declaredSize !== undefined ? declaredSize : part.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    centrals.push(central, name);
    offset += local.length + name.length + part.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** ~`inflatedBytes` of Word XML in a few hundred KB; `lie` declares 4 KB instead of the real size. */
export async function docxBomb(inflatedBytes: number, options: { lie?: boolean } = {}): Promise<Buffer> {
  const parts = [stored('[Content_Types].xml', CONTENT_TYPES), stored('_rels/.rels', RELS), await deflatedXml(inflatedBytes)];
  return zip(parts, options.lie ? 4096 : undefined);
}
