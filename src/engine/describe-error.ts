/**
 * One line that says what went wrong: `ClusterError: ls exited with code 2`. The pg driver names
 * its errors `error` (the protocol's message type), which printed as `error: error: ...` behind
 * the CLI's own `error: `: such an error reads `DatabaseError: <message> (SQLSTATE <code>)`.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name !== 'error') return `${err.name}: ${err.message}`;
  const kind = err.constructor.name && err.constructor.name !== 'Error' ? err.constructor.name : 'DatabaseError';
  const code = (err as { code?: unknown }).code;
  return `${kind}: ${err.message}${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}`;
}
