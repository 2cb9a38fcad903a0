import type { CliApplication } from './cli-application.port';
import { surviveBrokenPipe, writeWhileOpen } from './broken-pipe.guard';

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
  /** Writes one line (or several) to stdout. */
  print(text: string): void;
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
  return {
    app,
    programName,
    stdout,
    stderr: process.stderr,
    exitCode: 0,
    print: (text) => writeWhileOpen(stdout, redact(text.endsWith('\n') ? text : `${text}\n`)),
    // The string values, not the JSON text: a short secret that looks like a number or a key must not break the document.
    printJson: (value) =>
      writeWhileOpen(stdout, `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v), 2)}\n`),
  };
}
