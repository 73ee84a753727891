// The repository's own documents must stand alone: every relative link in a README or in docs/
// points at a file of this repository, and none reaches outside it (such as a sibling ../shared).
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const documents = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('.changeset/') && !file.endsWith('CHANGELOG.md'))

/** Relative link targets of a Markdown text: `[text](target)` and `![alt](target)`, without #anchors. */
function relativeLinks(markdown) {
  const targets = []
  for (const match of markdown.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1]
    if (/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) continue
    targets.push(decodeURIComponent(target.split('#')[0]))
  }
  return targets
}

describe('the repository documents', () => {
  it('are found (the check reads something)', () => {
    expect(documents).toContain('README.md')
    expect(documents.length).toBeGreaterThanOrEqual(5)
  })

  it.each(documents)('%s: every relative link points at a file of this repository', (file) => {
    const text = readFileSync(join(root, file), 'utf8')
    expect(text).not.toMatch(/\.\.\/shared\//)
    const broken = relativeLinks(text).filter((target) => {
      const path = resolve(root, dirname(file), target)
      return relative(root, path).startsWith('..') || !existsSync(path)
    })
    expect(broken).toEqual([])
  })

  it('the link reader sees links, images and titles, and skips URLs and anchors', () => {
    expect(relativeLinks('[a](docs/x.md) ![b](img.svg "t") [c](https://e.x) [d](#top) [e](../up.md#part)')).toEqual([
      'docs/x.md',
      'img.svg',
      '../up.md',
    ])
  })
})
