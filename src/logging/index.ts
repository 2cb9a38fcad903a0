export type { Logger } from './logger';
export { silentLogger } from './logger';
export { LogManager } from './log-manager';
export { createRedactor, secretValues, REDACTED, type Redactor } from './redaction';
