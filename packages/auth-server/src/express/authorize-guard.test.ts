import { definePolicies, type PolicySubject } from '@acme/auth-core'
import { createRecordingAuditSink } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { browser, createTestApp } from '../../test/fixtures.js'
import { problemErrorHandler } from './error-handler.js'

interface Note {
  id: string
  ownerId: string
  text: string
}

describe('auth.authorize()', () => {
  it('allows the owner, refuses others with 403 and the policy’s reason, 404 for a missing resource, 401 anonymous', async () => {
    const notes = new Map<string, Note>([['n1', { id: 'n1', ownerId: 'u-alice', text: 'alice’s note' }]])
    const policies = definePolicies({
      'note.read': (user: PolicySubject, note: Note) =>
        note.ownerId === user.id ? { allowed: true, reason: 'owner' } : { allowed: false, reason: 'not the owner' },
    })
    const audit = createRecordingAuditSink()
    const { app, auth } = await createTestApp({ audit })
    app.get(
      '/notes/:id',
      auth.authorize(policies, 'note.read', (req) => notes.get(String(req.params.id))),
      (_req, res) => {
        res.json((res.locals as { resource: Note }).resource)
      },
    )
    app.use(problemErrorHandler())

    const alice = browser(app)
    await alice.login('alice@example.com', 'alice-password')
    expect((await alice.get('/notes/n1')).body).toMatchObject({ text: 'alice’s note' })

    const bob = browser(app)
    await bob.login('bob@example.com', 'bob-password')
    const refused = await bob.get('/notes/n1')
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ status: 403, detail: 'not the owner' })
    expect(audit.ofType('AUTHZ_DENIED')).toEqual([
      expect.objectContaining({ userId: 'u-bob', reason: 'not the owner', data: { action: 'note.read' } }),
    ])

    expect((await bob.get('/notes/missing')).status).toBe(404)
    expect((await browser(app).get('/notes/n1')).status).toBe(401)
  })
})
