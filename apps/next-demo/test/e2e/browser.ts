// apps/demo's browser helpers: the same black-box checks run against both apps. Screenshots land
// in this app's test-results.
import type { Page } from 'playwright-core'
import { screenshot as screenshotIn } from '../../../demo/test/e2e/browser.js'
import { resultsDir } from './next-process.js'

export { expectNoTokensInPage, launchBrowser, newDevice, signIn } from '../../../demo/test/e2e/browser.js'

/** Saves a full-page screenshot under this app's test-results. */
export const screenshot = (page: Page, name: string): Promise<void> => screenshotIn(page, name, resultsDir)
