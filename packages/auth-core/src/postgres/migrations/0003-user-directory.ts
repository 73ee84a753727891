// Migration 3: what the PostgreSQL user directory needs beyond migration 1's account tables: when
// a password was set (`GET /auth/accounts` shows it; a re-hash after sign-in keeps it), apart from
// `updated_at`, which a re-hash moves. Never edit a migration once released: add the next one.

export const userDirectory = `
ALTER TABLE password_hashes ADD COLUMN set_at bigint;
UPDATE password_hashes SET set_at = updated_at;
ALTER TABLE password_hashes ALTER COLUMN set_at SET NOT NULL;
`
