import { expect } from 'chai';
import * as fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { StepEntity } from '../../src/persistence';
import { createDataSource } from '../../src/persistence';
import { valueConverter } from '../../src/persistence/value-converter';
import { StepAttemptEntity } from '../../src/persistence/step-attempt.entity';
import { tempSqlite } from '../support/temp-database';

/**
 * Transitions convert their dates without TypeORM's DateUtils, for speed: the text stored must
 * stay exactly TypeORM's, or rows written by the two paths would not compare or sort alike.
 */
describe('persistence: SQLite datetime conversion', () => {
  let db: ReturnType<typeof tempSqlite>;
  let dataSource: DataSource;

  before(async () => {
    db = tempSqlite();
    dataSource = await createDataSource(db.database);
  });

  after(async () => {
    await dataSource.destroy();
    db.cleanup();
  });

  it("stores exactly TypeORM's text for any date, and leaves every other value to TypeORM", () => {
    // Every column of the step and attempt tables (text, integers, the attempt id, dates), through the compiled statements' converters.
    const columns = [StepEntity, StepAttemptEntity].flatMap((entity) => dataSource.getMetadata(entity).columns);
    expect(columns.map((c) => c.propertyName)).to.include.members(['startedAt', 'state', 'attempt', 'error', 'id', 'cluster', 'runId']);
    for (const column of columns) {
      const field = `${column.entityMetadata.name}.${column.propertyName}`;
      const convert = valueConverter(dataSource, column);
      const typeorm = (value: unknown) => dataSource.driver.preparePersistentValue(value, column);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.date({ min: new Date(-62_198_755_200_000), max: new Date(253_402_300_799_999) }), // years 0 to 9999
            fc.date({ noInvalidDate: false }), // any year, and invalid dates
            fc.constantFrom(null, undefined, 'processed', 3, 2 ** 40 + 7, true, ''),
            fc.string(),
          ),
          (value) => {
            const ours = convert(value);
            const theirs = typeorm(value);
            expect(ours).to.deep.equal(theirs, `${field}: ${String(value)}`);
          },
        ),
        { numRuns: 2_000 },
      );
    }
  });

  it('gives each date its own text when the same instant, or a new one, comes again', () => {
    const column = dataSource.getMetadata(StepEntity).findColumnWithPropertyName('startedAt')!;
    const convert = valueConverter(dataSource, column);
    const typeorm = (value: unknown) => dataSource.driver.preparePersistentValue(value, column);
    const instant = fc.oneof(
      fc.integer({ min: 0, max: 3 }).map((ms) => 1_764_000_000_000 + ms),
      fc.constant(NaN),
      fc.constant(-62_198_755_200_000),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 2, maxLength: 30 }), (instants) => {
        for (const ms of instants) expect(convert(new Date(ms))).to.deep.equal(typeorm(new Date(ms)), String(ms));
      }),
      { numRuns: 500 },
    );
  });
});
