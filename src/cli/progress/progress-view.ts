/** Shows a run while it happens; `stop()` resolves once the final picture is on screen. */
export interface ProgressView {
  start(): void;
  stop(): Promise<void>;
}

/** For `--json` and `--no-progress`: nothing until the end. */
export const NO_PROGRESS: ProgressView = { start: () => undefined, stop: async () => undefined };
