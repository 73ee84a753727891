// Reads a Markdown document as its `##` sections and their fenced code blocks (docs as tests).

export interface CodeBlock {
  lang: string
  lines: string[]
}

export interface MarkdownSection {
  title: string
  /** GitHub's anchor of the heading: `Sign a user (or every user) out now` → `sign-a-user-or-every-user-out-now`. */
  slug: string
  blocks: CodeBlock[]
  /** The `(#anchor)` links of the section's prose. */
  links: string[]
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function headingSlug(title: string): string {
  return title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The `##` sections of `markdown` (text before the first one is ignored). */
export function markdownSections(markdown: string): MarkdownSection[] {
  const sections: MarkdownSection[] = []
  let block: CodeBlock | undefined
  for (const line of markdown.split('\n')) {
    const current = sections.at(-1)
    if (block) {
      if (/^```\s*$/.test(line)) block = undefined
      else block.lines.push(line)
      continue
    }
    const fence = /^```(\w*)/.exec(line)
    if (fence) {
      block = { lang: fence[1]!, lines: [] }
      current?.blocks.push(block)
      continue
    }
    const heading = /^## (.+)$/.exec(line)
    if (heading) {
      sections.push({ title: heading[1]!, slug: headingSlug(heading[1]!), blocks: [], links: [] })
      continue
    }
    for (const [, anchor] of line.matchAll(/\]\(#([^)]+)\)/g)) current?.links.push(anchor!)
  }
  return sections
}

/** One `acme-auth` invocation of a runbook, as written. */
export interface RunbookCommand {
  /** The line as it stands in the document. */
  line: string
  /** Arguments after `acme-auth`, placeholders (`<userId>`) not yet replaced. */
  args: string[]
  /** The documented exit code (`# exit 3`); 0 when none is given. */
  exitCode: number
  /** For `xargs -n 1 acme-auth … < file`: the file whose lines are appended, one run each. */
  eachLineOf?: string
}

/**
 * The `acme-auth` commands of a section's `sh` blocks. A line that mentions `acme-auth` in any
 * other form throws, so that no command in the document escapes the test.
 */
export function runbookCommands(section: MarkdownSection): RunbookCommand[] {
  const commands: RunbookCommand[] = []
  for (const block of section.blocks.filter((b) => b.lang === 'sh')) {
    for (const line of block.lines) {
      const [code = '', comment = ''] = line.split(/\s+#\s+/, 2)
      const exitCode = Number(/^exit (\d)\b/.exec(comment)?.[1] ?? 0)
      const single = /^acme-auth\s+(.+)$/.exec(code.trim())
      const each = /^xargs -n 1 acme-auth\s+(.+?)\s+<\s+(\S+)$/.exec(code.trim())
      const words = (single ?? each)?.[1]?.split(/\s+/)
      if (words === undefined) {
        if (/(^|\s)acme-auth(\s|$)/.test(code)) throw new Error(`the runbooks test cannot run this line: ${line}`)
        continue
      }
      if (words.some((word) => /["'`$|;&()]/.test(word))) throw new Error(`quoting, variables and pipes are not run by the test: ${line}`)
      commands.push({ line, args: words, exitCode, ...(each ? { eachLineOf: each[2]! } : {}) })
    }
  }
  return commands
}
