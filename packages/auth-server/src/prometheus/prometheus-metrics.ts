import { metrics } from '@opentelemetry/api'
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus'
import { MeterProvider } from '@opentelemetry/sdk-metrics'
import type { RequestHandler } from 'express'

export interface PrometheusMetrics {
  /** Serves the Prometheus text format: `app.get('/metrics', metrics.handler)`. */
  handler: RequestHandler
  meterProvider: MeterProvider
  shutdown(): Promise<void>
}

/**
 * A ready `/metrics` for apps that want Prometheus: an OpenTelemetry MeterProvider with a
 * Prometheus reader, registered globally (unless `register: false`) so that every counter and
 * histogram `@acme/auth-core` records through `@opentelemetry/api` appears here.
 *
 * @example
 * ```ts
 * import { createPrometheusMetrics } from '@acme/auth-server/prometheus'
 *
 * const prometheus = createPrometheusMetrics()
 * app.get('/metrics', requireRole('admin'), prometheus.handler)
 * ```
 */
export function createPrometheusMetrics(options: { register?: boolean } = {}): PrometheusMetrics {
  const exporter = new PrometheusExporter({ preventServerStart: true })
  const meterProvider = new MeterProvider({ readers: [exporter] })
  if (options.register !== false) metrics.setGlobalMeterProvider(meterProvider)
  return {
    handler: (req, res) => {
      exporter.getMetricsRequestHandler(req, res)
    },
    meterProvider,
    shutdown: () => meterProvider.shutdown(),
  }
}
