/** Failure injection: `failNext` queues failures per route; the dispatcher applies them to authenticated calls. */
import type { IncomingMessage } from 'node:http';
import { HttpError, type FakeRoute, type RequestLogEntry } from './routes.ts';

/** What `failNext` makes the route answer instead of the normal response. */
export interface InjectedFailure {
  /**
   * HTTP status. Default 400, like the platform's business errors. Note the SDK only sees the code of
   * a 4xx/5xx answer (axios error); a 200 with a non-zero code reaches the channel as "no message_id"
   * (`unknown`, retried, code lost).
   */
  status?: number;
  /** Platform error code in the JSON body. Default: 429 → 99991400, 5xx → 1, else 99992402. */
  code?: number;
  msg?: string;
  /**
   * Wait this long first. Alone (no status/code/reset) the request then proceeds normally: a slow
   * platform, which still accepts (and shows) a message whose client gave up waiting. With `reset`,
   * the request is lost instead, e.g. to hold a reply while the bot is killed.
   */
  hangMs?: number;
  /** Destroy the TCP connection instead of answering (client sees ECONNRESET / socket hang up). */
  reset?: boolean;
}

export class Faults {
  readonly #queues = new Map<FakeRoute, { failure: InjectedFailure; left: number }[]>();
  readonly #closeHooks = new Set<() => void>(); // cancel hangs on close
  #closed = false;

  failNext(route: FakeRoute, failure: InjectedFailure, times = 1): void {
    const queue = this.#queues.get(route) ?? [];
    queue.push({ failure, left: times });
    this.#queues.set(route, queue);
  }

  /**
   * Applies the next failure queued for `route`, if any: waits, then throws the injected error.
   * True means the request must not be answered (connection reset, or the fake closed meanwhile).
   */
  async inject(route: FakeRoute, req: IncomingMessage, log: RequestLogEntry): Promise<boolean> {
    const failure = this.#take(route);
    if (!failure) return false;
    if (failure.hangMs) await this.#sleep(failure.hangMs);
    if (this.#closed) return true;
    if (failure.reset) {
      log.status = 0;
      req.socket.destroy();
      return true;
    }
    if (failure.status !== undefined || failure.code !== undefined) throw injectedError(route, failure);
    return false;
  }

  /** Ends pending hangs; the requests they held get no answer. */
  close(): void {
    this.#closed = true;
    for (const hook of [...this.#closeHooks]) hook();
  }

  #take(route: FakeRoute): InjectedFailure | undefined {
    const queue = this.#queues.get(route);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.left -= 1;
    if (head.left <= 0) queue.shift();
    return head.failure;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.#closeHooks.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.#closeHooks.add(done);
    });
  }
}

function injectedError(route: FakeRoute, failure: InjectedFailure): HttpError {
  // The platform answers business errors with HTTP 4xx + code (e.g. 400 / 230020), so that is the default.
  const status = failure.status ?? 400;
  const code = failure.code ?? (status === 429 ? 99991400 : status >= 500 ? 1 : 99992402);
  return new HttpError(status, code, failure.msg ?? (status === 429 ? 'request trigger frequency limit' : `injected failure (${route})`));
}
