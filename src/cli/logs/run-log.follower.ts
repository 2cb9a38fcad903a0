import { StringDecoder } from 'node:string_decoder';
import type { LogEntryFilter } from '../../logging/log-line.filter';
import { LogLineFilter } from '../../logging/log-line.filter';
import type { LogSource } from '../../logging/log-entry';

/**
 * For `logs --follow -t/--run/--attempt`: turns the chunks a followed file grows by into the
 * lines of that run only. A chunk may end mid-line (or mid-character): the rest waits for the next.
 */
export function runLineFilter(source: LogSource, filter: LogEntryFilter, write: (text: string) => void): (chunk: Buffer) => void {
  const lines = new LogLineFilter(source, filter);
  const decoder = new StringDecoder('utf8');
  let partial = '';
  return (chunk) => {
    const parts = (partial + decoder.write(chunk)).split('\n');
    partial = parts.pop()!;
    let out = '';
    for (const line of parts) if (lines.next(line).kept) out += `${line}\n`;
    if (out) write(out);
  };
}
