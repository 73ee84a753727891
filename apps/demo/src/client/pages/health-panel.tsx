import { useAuthFetch, type AuthFetchError } from '@acme/auth-react'
import { useQuery } from '@tanstack/react-query'
import type { ReactElement } from 'react'
import type { HealthPoint, HealthSeries } from '../../shared/page-state.js'

interface Line {
  label: string
  values: (number | null)[]
  className: string
}

/** A small line chart: one polyline per series, scaled to the largest value shown. */
function Sparkline({ title, lines, unit }: { title: string; lines: Line[]; unit: string }): ReactElement {
  const width = 240
  const height = 56
  const count = Math.max(2, ...lines.map((line) => line.values.length))
  const max = Math.max(1, ...lines.flatMap((line) => line.values.filter((v): v is number => v !== null)))
  const x = (i: number) => (i / (count - 1)) * width
  const y = (v: number) => height - 2 - (v / max) * (height - 4)
  return (
    <figure className="health-chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={title}>
        <line x1="0" y1={height - 1} x2={width} y2={height - 1} className="health-axis" />
        {lines.map((line) => (
          <polyline
            key={line.label}
            className={line.className}
            fill="none"
            points={line.values.map((v, i) => (v === null ? '' : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean).join(' ')}
          />
        ))}
      </svg>
      <ul className="health-legend">
        {lines.map((line) => (
          <li key={line.label} className={line.className}>
            {line.label}: <strong data-testid={`health-${line.className}`}>{line.values.at(-1) ?? '–'}</strong> {unit}
          </li>
        ))}
      </ul>
    </figure>
  )
}

const pick = (points: HealthPoint[], get: (p: HealthPoint) => number | null) => points.map(get)

/** The admin page's live health panel, drawn from the app's own metrics, refreshed every 3 s. */
export function HealthPanel(): ReactElement {
  const api = useAuthFetch()
  const health = useQuery<HealthSeries, AuthFetchError>({
    queryKey: ['admin', 'health'],
    queryFn: () => api<HealthSeries>('/admin/api/health'),
    refetchInterval: 3_000,
  })
  const points = health.data?.points ?? []
  return (
    <section className="card" data-testid="health-panel">
      <h2>Health</h2>
      <p className="muted">
        From this app&apos;s own metrics (what <code>/metrics</code> serves), sampled every {health.data?.sampledEverySeconds ?? '…'} s.
      </p>
      {health.error && <p className="error">The health data could not be loaded.</p>}
      <div className="health-grid">
        <Sparkline
          title="Sign-ins per minute"
          unit="/min"
          lines={[
            { label: 'succeeded', values: pick(points, (p) => p.signInsPerMinute.success), className: 'ok' },
            { label: 'failed', values: pick(points, (p) => p.signInsPerMinute.failure), className: 'bad' },
          ]}
        />
        <Sparkline
          title="Sign-in latency (last minute)"
          unit="ms"
          lines={[
            { label: 'p50', values: pick(points, (p) => p.signInLatencyMs.p50), className: 'p50' },
            { label: 'p95', values: pick(points, (p) => p.signInLatencyMs.p95), className: 'p95' },
          ]}
        />
        <Sparkline
          title="Refresh rotations and reuse"
          unit=""
          lines={[
            { label: 'rotations /min', values: pick(points, (p) => p.refreshesPerMinute), className: 'ok refresh' },
            { label: 'reuse detected', values: pick(points, (p) => p.reuseDetections), className: 'bad reuse' },
          ]}
        />
        <Sparkline title="Active sessions" unit="" lines={[{ label: 'since start', values: pick(points, (p) => p.activeSessions), className: 'sessions' }]} />
        <Sparkline title="BFF upstream errors" unit="/min" lines={[{ label: 'errors', values: pick(points, (p) => p.bffErrorsPerMinute), className: 'bad bff' }]} />
      </div>
    </section>
  )
}
