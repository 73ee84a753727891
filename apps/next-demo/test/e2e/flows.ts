// apps/demo's shared flow (sign in, a replaced access token, sign out): the same checks on both apps.
export { signInRefreshSignOut } from '../../../demo/test/e2e/flows.js'
// And the session-strategy browser flows of apps/demo's demo.test.ts.
export { alice, bob, createBrowserFlows } from '../../../demo/test/e2e/browser-flows.js'
// And its operator checks: the admin health panel and /metrics.
export { expectHealthPanel, expectLifecycleCounters } from '../../../demo/test/e2e/metrics-checks.js'
// And the step-up on an admin action (second factors on the security page and the admin page).
export { stepUpOnAdminAction } from '../../../demo/test/e2e/step-up-flows.js'
