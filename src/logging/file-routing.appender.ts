import type { LoggingEvent } from 'log4js';
import type { BoundedFileWriter } from './bounded-file-writer';
import { LOG_FILE_CONTEXT_KEY } from './log-layout';

type Layout = (event: LoggingEvent) => string;

/**
 * A log4js appender that writes each event to the file named in its logger's context. One
 * appender serves every flow, step and application in the process, through one bounded pool of
 * file descriptors.
 */
export function createFileRoutingAppender(layout: Layout, writer: Pick<BoundedFileWriter, 'write' | 'closeAll'>) {
  const appender = (event: LoggingEvent) => {
    const file = event.context?.[LOG_FILE_CONTEXT_KEY];
    if (typeof file === 'string') writer.write(file, layout(event) + '\n');
  };
  appender.shutdown = (done: () => void) => {
    writer.closeAll();
    done();
  };
  return appender;
}
