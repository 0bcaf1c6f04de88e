/**
 * @module The operations side of one bot process: its metrics, and the ops server when `OPS_PORT`
 * is set. Started before anything slow (a first ingest, connecting to Lark) so `/healthz` answers
 * and `/readyz` says what is still missing; the bot fills in `live` as its parts come up.
 */
import type { Config, IndexManifest, Logger } from '../../core/index.ts';
import { OpsMetrics } from './metrics.ts';
import { indexProbe, larkProbe, type ReadinessProbe } from './readiness.ts';
import { startOps, type OpsServer } from './server.ts';

/** Parts of the bot that exist only once started: until then their probes fail. */
interface LiveParts {
  /** The index the answers come from. */
  index?: () => IndexManifest | undefined;
  larkConnected?: () => boolean;
  queueDepth?: () => number;
}

export class Ops {
  readonly metrics: OpsMetrics;
  readonly live: LiveParts;
  readonly server: OpsServer | undefined;

  private constructor(metrics: OpsMetrics, live: LiveParts, server: OpsServer | undefined) {
    this.metrics = metrics;
    this.live = live;
    this.server = server;
  }

  /**
   * `lark`: readiness includes the connection, and the question worker's backlog is a metric.
   * `probes`: what else must answer, such as the store's database.
   */
  static async start(config: Pick<Config, 'OPS_PORT' | 'OPS_HOST'>, options: { logger: Logger; lark: boolean; probes: ReadinessProbe[] }): Promise<Ops> {
    const live: LiveParts = {};
    const metrics = new OpsMetrics({
      index: () => live.index?.(),
      ...(options.lark ? { queueDepth: () => live.queueDepth?.() ?? 0 } : {}),
    });
    const probes = [indexProbe(() => live.index?.()), ...options.probes];
    if (options.lark) probes.push(larkProbe(() => live.larkConnected?.() ?? false));
    const server = config.OPS_PORT === undefined ? undefined : await startOps({ port: config.OPS_PORT, host: config.OPS_HOST, metrics, probes, logger: options.logger });
    return new Ops(metrics, live, server);
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }
}
