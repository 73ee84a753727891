import type { CliAudit } from './cli-audit.js'
import type { CliBackend } from './cli-backend.js'
import type { CliConfig } from './cli-config.js'

/** The parsed flags every command may read. */
export interface CliFlags {
  user: string | undefined
  id: string | undefined
  json: boolean
  compromised: boolean
}

/** What a command gets: the open stores, the config, and the ways to answer. */
export interface CommandContext {
  backend: CliBackend
  config: CliConfig
  flags: CliFlags
  /** One answer on stdout: `human`, or `data` as JSON with `--json`. */
  print: (human: string, data: unknown) => void
  /** A note on stderr (never with data the script reads). */
  note: (line: string) => void
  /** A required flag's value; a usage error (exit 2) when it is missing or empty. */
  need: (flag: 'user' | 'id') => string
  /** `ACME_AUTH_KEY_SECRET`; a usage error when it is not set. */
  keySecret: () => string
  /** Where the command's audit events go (`--audit-log <file>`, or stderr). */
  audit: CliAudit
}

/** One command: resolves to its exit code. */
export type Command = (context: CommandContext) => Promise<number>
