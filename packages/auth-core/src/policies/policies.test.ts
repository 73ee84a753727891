import { createTestClock } from '@acme/auth-testing'
import { describe, expect, it } from 'vitest'
import { createRecordingAuditSink } from '@acme/auth-testing'
import { AuthError, isAuthError } from '../errors.js'
import { definePolicies, hasRole, PolicyDeniedError, type PolicyDecisionRecord } from './policies.js'
import { auditPolicyDecisions } from './policy-audit.js'

interface User {
  id: string
  roles: string[]
}
interface Note {
  id: string
  ownerId: string
  locked?: boolean
}

const alice: User = { id: 'alice', roles: ['admin'] }
const bob: User = { id: 'bob', roles: ['member'] }
const alicesNote: Note = { id: 'note-1', ownerId: 'alice' }

function makePolicies(onDecision?: (d: PolicyDecisionRecord) => void) {
  return definePolicies(
    {
      'note.update': (user: User, note: Note) => {
        if (note.locked) return { allowed: false, reason: 'note_locked' }
        if (note.ownerId === user.id) return { allowed: true, reason: 'owner' }
        return hasRole(user, 'admin') ? { allowed: true, reason: 'admin' } : { allowed: false, reason: 'not_owner' }
      },
      'admin.view': (user: User) => hasRole(user, 'admin'),
      'note.explode': (): boolean => {
        throw new Error('bug in a rule')
      },
    },
    onDecision ? { onDecision } : {},
  )
}

describe('definePolicies', () => {
  it('answers with reasons', () => {
    const policies = makePolicies()
    expect(policies.can(alice, 'note.update', alicesNote)).toEqual({ allowed: true, reason: 'owner' })
    expect(policies.can(bob, 'note.update', alicesNote)).toEqual({ allowed: false, reason: 'not_owner' })
    expect(policies.can(alice, 'note.update', { ...alicesNote, ownerId: 'bob' })).toEqual({ allowed: true, reason: 'admin' })
    expect(policies.can(alice, 'note.update', { ...alicesNote, locked: true })).toEqual({ allowed: false, reason: 'note_locked' })
    expect(policies.can(alice, 'admin.view')).toEqual({ allowed: true, reason: 'allowed' })
    expect(policies.can(bob, 'admin.view')).toEqual({ allowed: false, reason: 'denied' })
    expect(policies.actions).toEqual(['note.update', 'admin.view', 'note.explode'])
  })

  it('fails closed on a throwing rule, an unknown action or a missing subject', () => {
    const policies = makePolicies()
    expect(policies.can(alice, 'note.explode')).toEqual({ allowed: false, reason: 'policy_error' })
    // @ts-expect-error an action that was never defined
    expect(policies.can(alice, 'note.delete', alicesNote)).toEqual({ allowed: false, reason: 'unknown_action' })
    // @ts-expect-error no subject
    expect(policies.can(null, 'admin.view')).toEqual({ allowed: false, reason: 'no_subject' })
  })

  it('types actions and resources from the definition', () => {
    const policies = makePolicies()
    // @ts-expect-error note.update needs a Note
    policies.can(alice, 'note.update')
    // @ts-expect-error a Note, not a string
    policies.can(alice, 'note.update', 'note-1')
    // @ts-expect-error admin.view takes no resource
    policies.can(alice, 'admin.view', alicesNote)
    expect(() => policies.assert(bob, 'note.update', alicesNote)).toThrow(PolicyDeniedError)
    expect(() => policies.assert(alice, 'note.update', alicesNote)).not.toThrow()
  })

  it('throws a denial as an AuthError with code ERR_POLICY_DENIED, the action and the decision', () => {
    const policies = makePolicies()
    let thrown: unknown
    try {
      policies.assert(bob, 'note.update', alicesNote)
    } catch (error) {
      thrown = error
    }
    expect(isAuthError(thrown, 'ERR_POLICY_DENIED')).toBe(true)
    expect(thrown).toBeInstanceOf(AuthError)
    expect(thrown).toMatchObject({ name: 'PolicyDeniedError', action: 'note.update', decision: { allowed: false } })
  })

  it('sends every decision to the hook: who, action, resource id, outcome, reason', () => {
    const seen: PolicyDecisionRecord[] = []
    const policies = makePolicies((d) => seen.push(d))
    policies.can(bob, 'note.update', alicesNote)
    policies.can(alice, 'admin.view')
    expect(seen).toEqual([
      { subjectId: 'bob', action: 'note.update', resourceId: 'note-1', allowed: false, reason: 'not_owner' },
      { subjectId: 'alice', action: 'admin.view', allowed: true, reason: 'allowed' },
    ])
    const throwing = makePolicies(() => {
      throw new Error('hook down')
    })
    expect(throwing.can(bob, 'admin.view')).toEqual({ allowed: false, reason: 'denied' })
  })

  it('auditPolicyDecisions emits AUTHZ_DENIED for denials', () => {
    const audit = createRecordingAuditSink()
    const policies = makePolicies(auditPolicyDecisions({ sink: audit, clock: createTestClock() }))
    policies.can(alice, 'note.update', alicesNote)
    policies.can(bob, 'note.update', alicesNote)
    expect(audit.events).toEqual([
      {
        type: 'AUTHZ_DENIED',
        at: '2030-01-01T00:00:00.000Z',
        outcome: 'failure',
        userId: 'bob',
        reason: 'not_owner',
        data: { action: 'note.update', resourceId: 'note-1' },
      },
    ])
  })

  it('rejects a non-function rule with a TypeError', () => {
    expect(() => definePolicies({ 'x.y': 'yes' } as never)).toThrow(/rules\['x\.y'\]/)
  })
})
