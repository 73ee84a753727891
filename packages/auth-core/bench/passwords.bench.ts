// Password hashing cost: hash() and verify() with argon2id and scrypt at OWASP parameters. One
// task at a time, so the numbers are single-request latencies on this machine.
import { createArgon2idHasher } from '../src/argon2/argon2id-hasher.js'
import { createScryptHasher } from '../src/argon2/scrypt-hasher.js'
import { runBench } from './lib/harness.js'

export default async function passwordsBench() {
  const password = 'correct horse battery staple'
  const argon2id = createArgon2idHasher() // m = 19 MiB, t = 2, p = 1
  const scrypt = createScryptHasher() // N = 2^17, r = 8, p = 1
  const argon2Hash = await argon2id.hash(password)
  const scryptHash = await scrypt.hash(password)
  return runBench(
    'passwords: hash() and verify() at OWASP parameters',
    {
      'argon2id hash (m=19456,t=2,p=1)': () => argon2id.hash(password),
      'argon2id verify': () => argon2id.verify(argon2Hash, password),
      'scrypt hash (N=2^17,r=8,p=1)': () => scrypt.hash(password),
      'scrypt verify': () => scrypt.verify(scryptHash, password),
    },
    { time: 2_000, warmupTime: 300, iterations: 8, warmupIterations: 2 },
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await passwordsBench()
