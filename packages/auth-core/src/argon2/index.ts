// Entry of '@acme/auth-core/argon2': password hashing (Node only). argon2id needs the optional peer
// @node-rs/argon2; scrypt uses node:crypto.
export { createPasswordHasher, type PasswordHasherOptions } from './password-hasher.js'
export { createArgon2idHasher, type Argon2idParams } from './argon2id-hasher.js'
export { createScryptHasher, type ScryptParams } from './scrypt-hasher.js'
