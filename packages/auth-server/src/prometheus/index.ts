// Entry of '@acme/auth-server/prometheus' (needs @opentelemetry/sdk-metrics and exporter-prometheus).
export { createPrometheusMetrics, type PrometheusMetrics } from './prometheus-metrics.js'
