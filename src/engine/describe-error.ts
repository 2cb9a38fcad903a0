/**
 * One line that says what went wrong: `ClusterError: ls exited with code 2`. The pg driver names
 * its errors `error` (the protocol's message type), which printed as `error: error: ...` behind
 * the CLI's own `error: `: such an error reads `DatabaseError: <message> (SQLSTATE <code>)`.
 */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return describeThrownValue(err);
  if (err.name !== 'error') return `${err.name}: ${err.message}`;
  const kind = err.constructor.name && err.constructor.name !== 'Error' ? err.constructor.name : 'DatabaseError';
  const code = (err as { code?: unknown }).code;
  return `${kind}: ${err.message}${typeof code === 'string' ? ` (SQLSTATE ${code})` : ''}`;
}

/**
 * What was thrown when it is not an Error: a string as it is; an object (an SDK's or an HTTP
 * client's response body) by its `message`, else as JSON, rather than `[object Object]`, which
 * recorded a failure with nothing to go on.
 */
function describeThrownValue(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const message = (value as { message?: unknown }).message;
  if (typeof message === 'string' && message) return message;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A cycle or a BigInt: the tag is all there is to say.
  }
  // Not cut here: it is redacted on its way out, and only then may a display cut it.
  return json === undefined || json === '{}' ? Object.prototype.toString.call(value) : json;
}
