/** One line that says what went wrong: `ClusterError: ls exited with code 2`. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
