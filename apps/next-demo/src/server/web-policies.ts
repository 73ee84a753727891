import { definePolicies, hasRole, type PolicySubject } from '@acme/auth-core'

/** Who may do what in the web app itself (the notes API has its own rules), as in apps/demo. */
export const webPolicies = definePolicies({
  'admin.view': (user: PolicySubject) => hasRole(user, 'admin') || { allowed: false, reason: 'not_admin' },
})
