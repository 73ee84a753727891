import { createDemoApp } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const server = createDemoApp().listen(port, '127.0.0.1', () => {
  console.warn(`Acme Auth demo: http://localhost:${port}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)))
}
