/** @module Figures shown to people, shared by ingest reports and chat replies. */

/** A byte count for people: 20.0 MB, 512.0 KB, 300 字节. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} 字节`;
}
