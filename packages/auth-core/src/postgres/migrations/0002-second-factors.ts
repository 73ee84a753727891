// Migration 2: the tables of the PostgreSQL second-factor store. TOTP secrets are sealed
// (`v1.<secretId>.…`), recovery codes and pending sign-ins are kept as SHA-256, passkeys hold
// public keys only. Times are epoch milliseconds from the caller's clock, as in every store.
// Never edit a migration once released: add the next one.

export const secondFactors = `
CREATE TABLE totp_factors (
  user_id text PRIMARY KEY,
  sealed_secret text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'active')),
  created_at bigint NOT NULL,
  confirmed_at bigint,
  last_used_step bigint
);

CREATE TABLE recovery_codes (
  user_id text NOT NULL,
  code_hash text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);

CREATE TABLE passkeys (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  public_key text NOT NULL,
  counter bigint NOT NULL,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL,
  name text NOT NULL,
  created_at bigint NOT NULL,
  last_used_at bigint
);
CREATE INDEX passkeys_user_id_idx ON passkeys (user_id);

CREATE TABLE pending_mfa (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  completed jsonb NOT NULL,
  methods text[] NOT NULL,
  auth_level text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX pending_mfa_expires_at_idx ON pending_mfa (expires_at);
`
