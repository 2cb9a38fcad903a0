import type { FlowRecord as FlowRecordEntity } from './flow.entity';
import type { StepRecord as StepRecordEntity } from './step.entity';
import type { DatabaseOptions } from './database-options';

/*
 * The public API's persistence values, without loading TypeORM at `import 'synergy-flow'` (it
 * costs hundreds of milliseconds, which the CLI's `--help` must not pay): each is required the
 * first time it is read. The types are the entities' own.
 */

export type FlowRecord = FlowRecordEntity;
export type StepRecord = StepRecordEntity;
export declare const FlowRecord: typeof FlowRecordEntity;
export declare const StepRecord: typeof StepRecordEntity;

Object.defineProperty(exports, 'FlowRecord', { enumerable: true, get: () => (require('./flow.entity') as typeof import('./flow.entity')).FlowRecord });
Object.defineProperty(exports, 'StepRecord', { enumerable: true, get: () => (require('./step.entity') as typeof import('./step.entity')).StepRecord });

/** Applies the pending migrations and closes the database; returns the names of those applied (see data-source.factory). */
export function migrateDatabase(options: DatabaseOptions): Promise<string[]> {
  return (require('./data-source.factory') as typeof import('./data-source.factory')).migrateDatabase(options);
}
