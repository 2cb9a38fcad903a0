/** `<timestamp> <step> <LEVEL> <message>` / `<timestamp> <step>.<action> <LEVEL> <message>` (DESIGN.md section 5). */
export const LOG_LINE_PATTERN = '%d{ISO8601} %c %p %m';

/** Context key that tells the file-routing appender which file a logger writes to. */
export const LOG_FILE_CONTEXT_KEY = 'synergyFlowFile';
