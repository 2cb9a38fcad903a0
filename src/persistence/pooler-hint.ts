/**
 * What to add to a connection error that a connection pooler gives: PgBouncer refuses any startup
 * parameter it does not know, and the engine sets `idle_in_transaction_session_timeout` on every
 * connection (boundStalledTransactions). The driver's message names the parameter, not the fix.
 */
export function poolerHint(message: string): string {
  if (!/unsupported startup parameter/i.test(message)) return '';
  return (
    ' (a connection pooler such as PgBouncer in front of PostgreSQL? It refuses the idle_in_transaction_session_timeout' +
    ' the engine sets on each connection: see docs/postgres.md, "Connection poolers")'
  );
}
