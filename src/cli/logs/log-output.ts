import { inertText } from '../../logging/inert-text';
import { inertChunks } from './inert-chunks';

/** How `logs` turns what it read into what it writes: whole text, or the chunks of a stream. */
export interface LogOutput {
  text(text: string): string;
  /** A fresh transform for one stream of chunks (`last`: nothing more comes, see inertChunks). */
  chunks(): (chunk: Buffer, last?: boolean) => Buffer;
}

/**
 * A log holds what steps' commands printed, control characters included. On a terminal they would
 * be orders (retitle the window, write the clipboard, clear the screen), so a person sees them
 * inert (`\x1b`). A file or a pipe obeys nothing: there the log goes out as it is stored, so
 * `logs <flow> > copy.log` is a byte-for-byte copy and `grep` finds what the step really wrote. A
 * person who pipes it on to a terminal (`| cat`) has asked for the raw bytes, as with `cat`.
 */
export function logOutput(stdout: NodeJS.WriteStream): LogOutput {
  if (stdout.isTTY) return { text: inertText, chunks: inertChunks };
  return { text: (text) => text, chunks: () => (chunk) => chunk };
}
