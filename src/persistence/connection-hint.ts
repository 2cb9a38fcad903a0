/**
 * What to do about a PostgreSQL connection that failed, added to the DatabaseSetupError: the
 * driver's message says what went wrong ("password authentication failed for user ...", "database
 * ... does not exist", "connect ECONNREFUSED ..."), not where an operator fixes it. Keyed on the
 * error's code, never its text: the hint quotes nothing the driver said, so no secret either.
 */
export function postgresConnectionHint(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    // invalid_password, invalid_authorization_specification (no pg_hba.conf entry, a role that may not log in)
    case '28P01':
    case '28000':
      return (
        ' (check the user and password the engine connects with: `database` in bootstrap(), or the' +
        ' postgres://user:password@host/db URL in SYNERGY_FLOW_DATABASE, and that the server lets that role in)'
      );
    // invalid_catalog_name: the engine creates its tables, not the database that holds them
    case '3D000':
      return ' (create the database first, e.g. `createdb -h <host> -U <user> <database>`; the engine creates its tables in it)';
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return ' (is PostgreSQL running, and listening at that host and port? check them in `database` or SYNERGY_FLOW_DATABASE)';
    default:
      return '';
  }
}
