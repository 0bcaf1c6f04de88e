/** @module Operations: health, readiness and Prometheus metrics on a port of their own, and the decorators that feed the metrics. */
export { larkEventCounter, measuredIngest, measuredQa, measuredTransport } from './instrument.ts';
export { OpsMetrics } from './metrics.ts';
export { Ops } from './ops.ts';
export { currentManifest, indexProbe, sqliteProbe } from './readiness.ts';
export { startOps } from './server.ts';
