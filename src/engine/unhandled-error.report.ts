import { inspect } from 'node:util';
import { inertText } from '../logging/inert-text';

/** The two process events of an error nobody handled. */
export type UnhandledOrigin = 'uncaughtException' | 'unhandledRejection';

const WHAT: Readonly<Record<UnhandledOrigin, string>> = {
  uncaughtException: 'an uncaught exception (thrown where nothing catches it, e.g. in a timer callback)',
  unhandledRejection: 'an unhandled promise rejection (a promise nobody awaited or caught)',
};

/**
 * What stderr shows of an error that no code handled, in place of Node's own print of it: which
 * kind, the error with its stack (where the stray code is) as Node shows it, every known secret masked by each
 * redactor and the terminal's control characters shown, not obeyed. A stack quotes the message,
 * and the message is whatever the action put in it.
 */
export function unhandledErrorReport(
  error: unknown,
  origin: UnhandledOrigin,
  redactors: readonly ((text: string) => string)[],
  alreadyStopping: boolean,
): string {
  // As Node would have printed it: the stack, the error's own fields, its cause.
  const text = inertText(redactors.reduce((masked, redact) => redact(masked), inspect(error)));
  const next = alreadyStopping ? 'the process is already stopping' : 'the process stops as on SIGTERM, and exits 1';
  return `synergy-flow: an action (or other code of the application) left ${WHAT[origin]}; ${next}:\n${text}\n`;
}
