/**
 * What to add to a connection error that a connection pooler gives: PgBouncer refuses any startup
 * parameter it does not know, such as a `statement_timeout` in the application's `extra` (the
 * engine's own session settings are `SET` after connecting, see boundStalledTransactions). The
 * driver's message names the parameter, not the fix.
 */
export function poolerHint(message: string): string {
  const refused = /unsupported startup parameter:?\s*([\w.]+)?/i.exec(message);
  if (!refused) return '';
  const name = refused[1] ?? 'it';
  return (
    ` (a connection pooler such as PgBouncer in front of PostgreSQL? It refuses startup parameters it does not know:` +
    ` set ${name} on the engine's database role (ALTER ROLE ... SET) instead of in the connection options` +
    ` (PgBouncer's ignore_startup_parameters would drop it); see docs/postgres.md, "Connection poolers")`
  );
}
