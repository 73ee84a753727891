// The SQL of the PostgreSQL refresh store, one named statement per operation. A new store
// operation is a new entry here plus a method that runs it. Family values are $1…$12 and token
// values $1…$8 in the column orders below (see familyValues/tokenValues in the store).

const familyColumns =
  'id, user_id, session_id, grant_claims, status, created_at, last_used_at, idle_expires_at, absolute_expires_at, current_token_id, revoked_at, revoked_reason'
const tokenColumns = 'id, family_id, secret_hash, status, created_at, rotated_at, successor_id, sealed_successor'
const placeholders = (from: number, count: number) => Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ')

/** Every statement of the refresh store, for one schema. */
export function refreshStatements(schema: string) {
  const families = `"${schema}".refresh_families`
  const tokens = `"${schema}".refresh_tokens`
  return {
    /** A family and its first token in one statement. */
    create: `WITH family AS (INSERT INTO ${families} (${familyColumns}) VALUES (${placeholders(1, 12)}))
      INSERT INTO ${tokens} (${tokenColumns}) VALUES (${placeholders(13, 8)})`,
    /** $1 token id → { token, family } as JSON rows. */
    find: `SELECT to_jsonb(t) AS token, to_jsonb(f) AS family FROM ${tokens} t JOIN ${families} f ON f.id = t.family_id WHERE t.id = $1`,
    /** $1 token id → its family, row-locked until the transaction ends. */
    lockFamilyOfToken: `SELECT ${familyColumns} FROM ${families} WHERE id = (SELECT family_id FROM ${tokens} WHERE id = $1) FOR UPDATE`,
    /** $1 token id. */
    token: `SELECT ${tokenColumns} FROM ${tokens} WHERE id = $1`,
    insertToken: `INSERT INTO ${tokens} (${tokenColumns}) VALUES (${placeholders(1, 8)})`,
    // The updates name every value of the record: the immutable columns double as a check that the
    // row is the one that was read.
    updateToken: `UPDATE ${tokens} SET status = $4, rotated_at = $6, successor_id = $7, sealed_successor = $8
      WHERE id = $1 AND family_id = $2 AND secret_hash = $3 AND created_at = $5`,
    updateFamily: `UPDATE ${families} SET grant_claims = $4, status = $5, last_used_at = $7, idle_expires_at = $8,
      current_token_id = $10, revoked_at = $11, revoked_reason = $12
      WHERE id = $1 AND user_id = $2 AND session_id = $3 AND created_at = $6 AND absolute_expires_at = $9`,
    /** $1 family id, $2 now, $3 reason → the family, when this call revoked it. */
    revokeFamily: `UPDATE ${families} SET status = 'revoked', revoked_at = $2, revoked_reason = $3
      WHERE id = $1 AND status = 'active' AND absolute_expires_at > $2 RETURNING ${familyColumns}`,
    /** $1 user id, $2 now, $3 reason → the families this call revoked. */
    revokeAllForUser: `UPDATE ${families} SET status = 'revoked', revoked_at = $2, revoked_reason = $3
      WHERE user_id = $1 AND status = 'active' AND absolute_expires_at > $2 RETURNING ${familyColumns}`,
    /** $1 user id, $2 now, $3 roles (a JSON array) → how many live families now carry them. */
    updateRolesForUser: `UPDATE ${families} SET grant_claims = jsonb_set(grant_claims, '{roles}', $3::jsonb)
      WHERE user_id = $1 AND status = 'active' AND absolute_expires_at > $2 AND idle_expires_at > $2`,
  }
}

export type RefreshStatements = ReturnType<typeof refreshStatements>
