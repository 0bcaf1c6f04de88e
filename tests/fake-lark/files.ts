/** Files in IM: user attachments (message resources), and the bot's image/file uploads and downloads. */
import { hex } from './ids.ts';
import { bad, ok, type Ctx, type RouteSpec } from './routes.ts';
import type { Platform } from './state.ts';

const resourceKey = (messageId: string, fileKey: string): string => `${messageId}\n${fileKey}`;

/** A user attachment downloadable via GET /open-apis/im/v1/messages/:messageId/resources/:fileKey. */
export function addResource(p: Platform, messageId: string, fileKey: string, data: Buffer, fileName?: string): void {
  p.resources.set(resourceKey(messageId, fileKey), fileName === undefined ? { data } : { data, fileName });
}

/** Answers with the bytes themselves, not JSON. */
function streamBinary({ res, log }: Ctx, data: Buffer, fileName?: string): undefined {
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': data.length,
    ...(fileName ? { 'Content-Disposition': `attachment; filename="${encodeURIComponent(fileName)}"` } : {}),
  });
  res.end(data);
  log.status = 200;
  return undefined;
}

// User attachments: the only way to fetch files/images a user sent (images/:key and files/:key only serve the bot's own uploads).
function getResource(ctx: Ctx): undefined {
  const { platform: p, params, query } = ctx;
  const type = query.type;
  if (!type || !['image', 'file', 'audio', 'video', 'media'].includes(type)) throw bad(234001, 'Invalid request param: type');
  const r = p.resources.get(resourceKey(params.message_id ?? '', params.file_key ?? ''));
  if (!r) throw bad(234003, 'File not in msg.');
  return streamBinary(ctx, r.data, r.fileName);
}

function uploadImage({ platform: p, body, files }: Ctx): object {
  const image = files.get('image');
  if (body?.image_type !== 'message' && body?.image_type !== 'avatar') throw bad(99992402, 'field validation failed: image_type');
  if (!image || image.data.length === 0) throw bad(234010, 'image is empty');
  const key = `img_v3_${hex(16)}`;
  p.uploads.set(key, { data: image.data, kind: 'image' });
  p.record({ kind: 'image_upload', fileKey: key, bytes: image.data.length, body });
  return ok({ image_key: key });
}

function uploadFile({ platform: p, body, files }: Ctx): object {
  const file = files.get('file');
  if (typeof body?.file_type !== 'string' || typeof body?.file_name !== 'string') throw bad(99992402, 'field validation failed: file_type/file_name');
  if (!file || file.data.length === 0) throw bad(234010, 'file is empty');
  const key = `file_v3_${hex(16)}`;
  p.uploads.set(key, { data: file.data, fileName: body.file_name, kind: 'file' });
  p.record({ kind: 'file_upload', fileKey: key, fileName: body.file_name, bytes: file.data.length, body });
  return ok({ file_key: key });
}

function getImage(ctx: Ctx): undefined {
  const key = ctx.params.image_key;
  const u = key ? ctx.platform.uploads.get(key) : undefined;
  if (u?.kind !== 'image') throw bad(234003, 'image not found or not uploaded by this app');
  return streamBinary(ctx, u.data);
}

function getFile(ctx: Ctx): undefined {
  const key = ctx.params.file_key;
  const u = key ? ctx.platform.uploads.get(key) : undefined;
  if (u?.kind !== 'file') throw bad(234003, 'file not found or not uploaded by this app');
  return streamBinary(ctx, u.data, u.fileName);
}

export const fileRoutes: RouteSpec[] = [
  { method: 'GET', path: '/open-apis/im/v1/messages/:message_id/resources/:file_key', route: 'resource', auth: true, handle: getResource },
  { method: 'POST', path: '/open-apis/im/v1/images', route: 'image_upload', auth: true, handle: uploadImage },
  { method: 'POST', path: '/open-apis/im/v1/files', route: 'file_upload', auth: true, handle: uploadFile },
  { method: 'GET', path: '/open-apis/im/v1/images/:image_key', route: 'image_get', auth: true, handle: getImage },
  { method: 'GET', path: '/open-apis/im/v1/files/:file_key', route: 'file_get', auth: true, handle: getFile },
];
