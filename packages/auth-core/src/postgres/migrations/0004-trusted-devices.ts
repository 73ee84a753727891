// Migration 4: the trusted devices of the PostgreSQL second-factor store ("remember this device"):
// the SHA-256 of the cookie's secret only, a coarse label, and the caller's epoch milliseconds,
// as in every store. Expired rows go with `prune()`. Never edit a migration once released: add the next one.

export const trustedDevices = `
CREATE TABLE trusted_devices (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  secret_hash text NOT NULL,
  label text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  last_used_at bigint
);
CREATE INDEX trusted_devices_user_id_idx ON trusted_devices (user_id);
CREATE INDEX trusted_devices_expires_at_idx ON trusted_devices (expires_at);
`
