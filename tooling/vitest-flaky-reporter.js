import { relative } from 'node:path'

// Names every test that failed and then passed on a retry, at the end of the run, so a flaky test
// is seen and fixed instead of hidden by `retry`. CI retries (see vitest.js); local runs do not.

/** @implements {import('vitest/node').Reporter} */
export default class FlakyReporter {
  /** @type {string[]} */
  flaky = []

  /** @param {import('vitest/node').TestCase} testCase */
  onTestCaseResult(testCase) {
    const diagnostic = testCase.diagnostic()
    if (diagnostic?.flaky) {
      this.flaky.push(`${relative(process.cwd(), testCase.module.moduleId)} > ${testCase.fullName} (passed after ${diagnostic.retryCount} retry)`)
    }
  }

  onTestRunEnd() {
    if (this.flaky.length === 0) return
    process.stdout.write(`\nFLAKY: ${this.flaky.length} test(s) passed only on a retry:\n${this.flaky.map((line) => `  - ${line}`).join('\n')}\n`)
  }
}
