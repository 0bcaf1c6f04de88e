/**
 * The long-connection frame codec (proto2, package pbbp2), defined here rather than imported from
 * the SDK so the fake checks the SDK's encoder/decoder instead of sharing it.
 */
import protobuf from 'protobufjs';

const PBBP2 = protobuf.parse(
  `syntax = "proto2";
   package pbbp2;
   message Header { required string key = 1; required string value = 2; }
   message Frame {
     required uint64 SeqID = 1;
     required uint64 LogID = 2;
     required int32 service = 3;
     required int32 method = 4;
     repeated Header headers = 5;
     optional string payloadEncoding = 6;
     optional string payloadType = 7;
     optional bytes payload = 8;
     optional string LogIDNew = 9;
   }`,
  { keepCase: true },
).root.lookupType('pbbp2.Frame');

/** `method` values. */
export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
  LogIDNew?: string;
}

export function encodeFrame(frame: Frame): Buffer {
  const msg = PBBP2.fromObject(frame);
  return Buffer.from(PBBP2.encode(msg).finish());
}

export function decodeFrame(buf: Buffer): Frame {
  const obj = PBBP2.toObject(PBBP2.decode(buf), { longs: Number, arrays: true }) as Frame;
  return obj;
}

export function headerMap(frame: Frame): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of frame.headers) out[h.key] = h.value;
  return out;
}
