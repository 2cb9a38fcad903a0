import type { Logger } from '../../src/logging/logger';

/** A Logger that keeps every line, so specs can assert what was logged (and what never was). */
export interface RecordingLogger extends Logger {
  readonly lines: string[];
  text(): string;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      lines.push(`${level} ${[message, ...args.map((a) => String(a))].join(' ')}`);
    };
  return {
    lines,
    text: () => lines.join('\n'),
    debug: record('DEBUG'),
    info: record('INFO'),
    warn: record('WARN'),
    error: record('ERROR'),
  };
}
