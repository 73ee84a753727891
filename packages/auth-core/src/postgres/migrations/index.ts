import { init } from './0001-init.js'
import { secondFactors } from './0002-second-factors.js'
import { userDirectory } from './0003-user-directory.js'
import { trustedDevices } from './0004-trusted-devices.js'

/** One schema change, applied once per schema in version order. */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** Every migration shipped with this version of the package, oldest first. */
export const migrations: readonly Migration[] = Object.freeze([
  { version: 1, name: 'init', sql: init },
  { version: 2, name: 'second-factors', sql: secondFactors },
  { version: 3, name: 'user-directory', sql: userDirectory },
  { version: 4, name: 'trusted-devices', sql: trustedDevices },
])
