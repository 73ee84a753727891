import { metrics } from '@opentelemetry/api'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus'
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics'

export interface PrometheusMetrics {
  /** Serves the Prometheus text format on Node's HTTP server and Express: `app.get('/metrics', metrics.handler)`. */
  handler: (req: IncomingMessage, res: ServerResponse) => void
  /** The same for Fetch runtimes and Next.js route handlers: `export const GET = () => metrics.response()`. */
  response(): Promise<Response>
  /** What a scrape would read now, as OpenTelemetry data (for an app's own health views). */
  collect(): Promise<ResourceMetrics>
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
  const serializer = new PrometheusSerializer()
  return {
    handler: (req, res) => {
      exporter.getMetricsRequestHandler(req, res)
    },
    async collect() {
      return (await exporter.collect()).resourceMetrics
    },
    async response() {
      const { resourceMetrics } = await exporter.collect()
      return new Response(serializer.serialize(resourceMetrics), {
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' },
      })
    },
    meterProvider,
    shutdown: () => meterProvider.shutdown(),
  }
}
