/**
 * @module The channel's own HTTP client: a deadline and keep-alive connections for Lark calls,
 * without changing the SDK's process-wide `defaultHttpInstance` that every other SDK user shares.
 */
import http from 'node:http';
import https from 'node:https';
import type { HttpInstance, HttpRequestOptions } from '@larksuiteoapi/node-sdk';
import { defaultHttpInstance } from './sdk.ts';

/** Outbound calls may not hang a chat's queue; the SDK's own retries still apply on top. */
const HTTP_TIMEOUT_MS = 15_000;

export function createHttpInstance(timeoutMs = HTTP_TIMEOUT_MS): HttpInstance {
  const defaults = {
    timeout: timeoutMs,
    // One TCP/TLS connection per reply would cost more than the answer itself under load.
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  // Sent through `defaultHttpInstance` for its response interceptor: every SDK call expects the
  // body unwrapped (or `{data, headers}` with `$return_headers`), which axios's types cannot know.
  // What the SDK sets per request, such as its own timeouts or agents pinned for URL uploads,
  // comes last and wins.
  const request = <T, R, D>(options: HttpRequestOptions<D>) => defaultHttpInstance.request<T, R, D>({ ...defaults, ...options }) as Promise<R>;
  // The SDK calls only `request` and `post` (app tickets); the other verbs complete its interface.
  return {
    request,
    get: (url, options) => request({ ...options, method: 'get', url }),
    delete: (url, options) => request({ ...options, method: 'delete', url }),
    head: (url, options) => request({ ...options, method: 'head', url }),
    options: (url, options) => request({ ...options, method: 'options', url }),
    post: (url, data, options) => request({ ...options, method: 'post', url, data }),
    put: (url, data, options) => request({ ...options, method: 'put', url, data }),
    patch: (url, data, options) => request({ ...options, method: 'patch', url, data }),
  };
}
