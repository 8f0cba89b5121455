/**
 * The PostgreSQL ledger's DDL, as migrations: the event table, the trigger that makes it append-only
 * for everyone (owner and superuser included), and the roles that separate who owns it from who writes
 * to it. Names are quoted identifiers; the caller passes validated names (schema and role rules in
 * LedgerStoreEnvironment and `assertRoleName`).
 */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function createTable(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.ledger_events (
      global_position BIGSERIAL PRIMARY KEY,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      UNIQUE (stream_id, revision))`,
  ];
}

/** The name of the trigger the maintenance procedure disables (README, "Append-only store"). */
export const APPEND_ONLY_TRIGGER = 'ledger_events_append_only';

/**
 * UPDATE, DELETE and TRUNCATE on the event table raise an error, whoever runs them. Only the table's
 * owner (or a superuser) can lift this, by `ALTER TABLE … DISABLE TRIGGER`, which the documented
 * maintenance procedure does inside one transaction.
 */
export function appendOnly(schema: string): string[] {
  const s = quoteIdent(schema);
  return [
    `CREATE OR REPLACE FUNCTION ${s}.ledger_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'ledger_events is append-only: % refused (services/ledger/README.md, "Append-only store")', TG_OP
         USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE OR REPLACE TRIGGER ${APPEND_ONLY_TRIGGER} BEFORE UPDATE OR DELETE ON ${s}.ledger_events
       FOR EACH ROW EXECUTE FUNCTION ${s}.ledger_events_refuse_change()`,
    `CREATE OR REPLACE TRIGGER ledger_events_no_truncate BEFORE TRUNCATE ON ${s}.ledger_events
       FOR EACH STATEMENT EXECUTE FUNCTION ${s}.ledger_events_refuse_change()`,
  ];
}

/** Is the schema already migrated (table and trigger present)? Then a writer, who may not run DDL, skips it. */
export function isMigrated(schema: string): { text: string; values: string[] } {
  return {
    text: `SELECT 1 FROM pg_trigger WHERE tgname = $1 AND tgrelid = to_regclass($2)`,
    values: [APPEND_ONLY_TRIGGER, `${quoteIdent(schema)}.ledger_events`],
  };
}

export interface LedgerRoles {
  /** Owns schema, table and trigger; the only role that may run the maintenance procedure. No login. */
  owner: string;
  /** May only SELECT and INSERT on the event table. No login: grant it to the services' login roles. */
  writer: string;
}

/** PostgreSQL role names as this project takes them: letters, digits and _, at most 63. */
export function assertRoleName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new RangeError(`role name ${JSON.stringify(name.slice(0, 80))} must be letters, digits and _ (at most 63)`);
  return name;
}

/** Creates (when missing) the owner and writer roles and hands out the privileges. Run by an administrator, once. */
export function roles(schema: string, r: LedgerRoles): string[] {
  const s = quoteIdent(schema);
  const owner = quoteIdent(assertRoleName(r.owner));
  const writer = quoteIdent(assertRoleName(r.writer));
  const create = (name: string) => `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${quoteIdent(name)} NOLOGIN; END IF; END $$`;
  return [
    create(r.owner),
    create(r.writer),
    `ALTER SCHEMA ${s} OWNER TO ${owner}`,
    `ALTER TABLE ${s}.ledger_events OWNER TO ${owner}`,
    `ALTER FUNCTION ${s}.ledger_events_refuse_change() OWNER TO ${owner}`,
    `REVOKE ALL ON ${s}.ledger_events FROM PUBLIC`,
    `REVOKE ALL ON ${s}.ledger_events FROM ${writer}`,
    `GRANT USAGE ON SCHEMA ${s} TO ${writer}`,
    `GRANT SELECT, INSERT ON ${s}.ledger_events TO ${writer}`,
    `GRANT USAGE ON SEQUENCE ${s}.ledger_events_global_position_seq TO ${writer}`,
  ];
}
