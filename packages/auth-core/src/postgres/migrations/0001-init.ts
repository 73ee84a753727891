// Migration 1: every table of the PostgreSQL stores, plus the users, linked accounts and password
// hashes the account routes will read. `migrate()` runs it with `search_path` set to the target
// schema, so the names below are unqualified. Times are epoch milliseconds (bigint) from the
// caller's clock, as in every store; lock expiry alone uses the database's clock (a real-time TTL).
// Never edit a migration once released: add the next one.

export const init = `
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  secret_hash text NOT NULL,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  idle_expires_at bigint NOT NULL,
  absolute_expires_at bigint NOT NULL,
  expires_at bigint GENERATED ALWAYS AS (LEAST(idle_expires_at, absolute_expires_at)) STORED,
  user_agent text,
  ip text,
  auth_level text NOT NULL,
  authenticated_at bigint NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE refresh_families (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  session_id text NOT NULL,
  grant_claims jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'revoked')),
  created_at bigint NOT NULL,
  last_used_at bigint NOT NULL,
  idle_expires_at bigint NOT NULL,
  absolute_expires_at bigint NOT NULL,
  expires_at bigint GENERATED ALWAYS AS (LEAST(idle_expires_at, absolute_expires_at)) STORED,
  current_token_id text NOT NULL,
  revoked_at bigint,
  revoked_reason text
);
CREATE INDEX refresh_families_user_id_idx ON refresh_families (user_id);
CREATE INDEX refresh_families_expires_at_idx ON refresh_families (expires_at);

CREATE TABLE refresh_tokens (
  id text PRIMARY KEY,
  family_id text NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
  secret_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('current', 'rotated')),
  created_at bigint NOT NULL,
  rotated_at bigint,
  successor_id text,
  sealed_successor text
);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);

CREATE TABLE key_ring (
  id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  version bigint NOT NULL
);

CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  position integer NOT NULL,
  alg text NOT NULL,
  created_at bigint NOT NULL,
  activates_at bigint NOT NULL,
  retires_at bigint,
  removes_at bigint,
  public_jwk jsonb NOT NULL,
  sealed_private_key text NOT NULL
);

CREATE TABLE store_locks (
  scope text NOT NULL,
  name text NOT NULL,
  token text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, name)
);
CREATE INDEX store_locks_expires_at_idx ON store_locks (expires_at);

CREATE TABLE one_time_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  purpose text NOT NULL,
  secret_hash text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX one_time_tokens_expires_at_idx ON one_time_tokens (expires_at);

CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  value double precision NOT NULL,
  expires_at bigint
);
CREATE INDEX rate_limits_expires_at_idx ON rate_limits (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  email_verified_at bigint,
  name text NOT NULL DEFAULT '',
  roles text[] NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  disabled_at bigint
);
CREATE UNIQUE INDEX users_email_idx ON users (email);

CREATE TABLE linked_accounts (
  provider text NOT NULL,
  subject text NOT NULL,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email text,
  linked_at bigint NOT NULL,
  PRIMARY KEY (provider, subject)
);
CREATE INDEX linked_accounts_user_id_idx ON linked_accounts (user_id);

CREATE TABLE password_hashes (
  user_id text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  hash text NOT NULL,
  updated_at bigint NOT NULL
);
`
