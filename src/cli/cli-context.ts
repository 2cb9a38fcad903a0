import type { CliApplication } from './cli-application.port';
import { surviveBrokenPipe, writeWhileOpen } from './broken-pipe.guard';
import { inertText } from '../logging/inert-text';

/** What every command gets: the app, where to write, and where to leave its exit code. */
export interface CliContext {
  readonly app: CliApplication;
  /** How a user invokes this program, for the hints in messages: `node dist/main.js`. */
  readonly programName: string;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** The command being parsed, so a usage error can point at its --help. */
  command?: string;
  /** Set by a command's action; 0 unless it says otherwise. */
  exitCode: number;
  /** Writes one line (or several) to stdout, redacted, its control characters made inert (see inertText). */
  print(text: string): void;
  /** The same, to stderr: an error message, a warning. */
  printError(text: string): void;
  /** Writes a value as indented JSON to stdout: the `--json` output of every command. */
  printJson(value: unknown): void;
}

export function createCliContext(app: CliApplication, programName: string): CliContext {
  const stdout = process.stdout;
  surviveBrokenPipe(stdout);
  surviveBrokenPipe(process.stderr);
  // The last check on the way out: a row written before a secret was known (or by an older
  // version, or another engine's configuration) is shown redacted all the same.
  const redact = app.logs.redact;
  // What is printed for a person quotes errors, logs and rows nobody vetted: one place makes them
  // inert, as it redacts them. Nothing printed here carries the engine's own colours.
  const forPerson = (text: string) => inertText(redact(text.endsWith('\n') ? text : `${text}\n`));
  return {
    app,
    programName,
    stdout,
    stderr: process.stderr,
    exitCode: 0,
    print: (text) => writeWhileOpen(stdout, forPerson(text)),
    printError: (text) => writeWhileOpen(process.stderr, forPerson(text)),
    printJson: (value) => writeWhileOpen(stdout, jsonText(value, redact)),
  };
}

/** The text printJson writes of `value`: indented JSON, each string redacted, DEL and C1 controls escaped, a newline. */
export function jsonText(value: unknown, redact: (text: string) => string): string {
  // The string values, not the JSON text: a short secret that looks like a number or a key must not break the document.
  return `${escapeDeleteAndC1(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), 2))}\n`;
}

/**
 * JSON.stringify escapes the C0 controls but writes DEL and the C1 controls as they are, which a
 * terminal showing `--json` may obey. They can only be inside strings: `\u00XX` is the same JSON value.
 */
function escapeDeleteAndC1(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
