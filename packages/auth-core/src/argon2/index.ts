// Entry of '@acme/auth-core/argon2': argon2id password hashing (Node only, needs @node-rs/argon2).
export {}
