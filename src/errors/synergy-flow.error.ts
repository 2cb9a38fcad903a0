/**
 * Common base of every error the engine raises on purpose. `name` is the concrete class name,
 * so `err.name` in a log line or a JSON response tells which failure it was.
 */
export class SynergyFlowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
