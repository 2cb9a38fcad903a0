import { ExitCode } from '../exit-codes';

export interface Interruption {
  /** Resolves to 130 on SIGINT, 143 on SIGTERM. */
  readonly exitCode: Promise<number>;
  dispose(): void;
}

/**
 * Catches SIGINT/SIGTERM from now on. Install it before printing anything a caller may react
 * to: a signal that arrives before a listener exists kills the process outright.
 */
export function catchInterruption(): Interruption {
  let onInt!: () => void;
  let onTerm!: () => void;
  const dispose = () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
  const exitCode = new Promise<number>((resolve) => {
    onInt = () => resolve(ExitCode.SIGINT);
    onTerm = () => resolve(ExitCode.SIGTERM);
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  void exitCode.then(dispose);
  return { exitCode, dispose };
}
