/**
 * Common base of every error the engine raises on purpose. `name` is the concrete class name,
 * so `err.name` in a log line or a JSON response tells which failure it was; `code` is a stable
 * identifier (Node's convention, `ERR_SYNERGY_*`) to branch on instead of the message's text.
 *
 * @example
 * ```ts
 * try {
 *   await app.run('daily_etl', { timeperiod: '2026112600' });
 * } catch (err) {
 *   if (err instanceof SynergyFlowError && err.code === 'ERR_SYNERGY_FLOW_LOCKED') console.log('already running');
 *   else throw err;
 * }
 * ```
 */
export class SynergyFlowError extends Error {
  /** The code of this class's errors; every subclass declares its own. */
  static readonly code: string = 'ERR_SYNERGY_UNCLASSIFIED';

  /** Stable across releases, unlike the message: the CLI's `--json` output and the viewer's error bodies carry it too. */
  readonly code: string;

  /**
   * @param message what was wrong, where, and what to do about it
   * @param options `cause`: the lower-level error this one explains
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = new.target.code;
  }
}
