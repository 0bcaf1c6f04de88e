/** multipart/form-data bodies (image and file uploads). */

export interface FormPart {
  data: Buffer;
  /** Set for file parts; text fields have none. */
  filename?: string;
}

export function parseMultipart(raw: Buffer, contentType: string): Map<string, FormPart> {
  const out = new Map<string, FormPart>();
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) return out;
  const delim = Buffer.from(`--${b}`);
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    if (next === -1) break;
    const part = raw.subarray(start + 2, next - 2); // drop the CRLF after the delimiter and before the next one
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const head = part.subarray(0, headerEnd).toString();
      const name = /;\s*name="([^"]*)"/i.exec(head)?.[1];
      const filename = /;\s*filename="([^"]*)"/i.exec(head)?.[1];
      if (name !== undefined) out.set(name, filename === undefined ? { data: part.subarray(headerEnd + 4) } : { data: part.subarray(headerEnd + 4), filename });
    }
    pos = next;
  }
  return out;
}
