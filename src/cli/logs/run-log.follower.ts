import { StringDecoder } from 'node:string_decoder';
import { LineSplitter } from '../../logging/line-splitter';
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
  const splitter = new LineSplitter();
  return (chunk) => {
    const parts = splitter.push(decoder.write(chunk));
    let out = '';
    for (const line of parts) if (lines.next(line).kept) out += `${line}\n`;
    if (out) write(out);
  };
}
