import { expect } from 'chai';
import { createDataSource } from '../../src/persistence';
import { ProcessIdentity1795943600000 } from '../../src/persistence/migrations/1795943600000-process-identity.migration';
import { RunInstance1795947200000 } from '../../src/persistence/migrations/1795947200000-run-instance.migration';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

for (const kind of SPEC_DATABASES) {
  describe(`persistence/the process identity migrations (ProcessIdentity, RunInstance) on ${kind.name}`, () => {
    let db: SpecDatabase;
    beforeEach(async () => (db = await kind.create()));
    afterEach(async () => db.cleanup());

    it('applied again where its columns exist (another engine upgrading the same file got there first) adds nothing and fails nothing', async () => {
      const dataSource = await createDataSource(db.options);
      const runner = dataSource.createQueryRunner();
      try {
        await new ProcessIdentity1795943600000().up(runner);
        await new RunInstance1795947200000().up(runner);
        expect(await runner.hasColumn('flow_run', 'instance_id')).to.equal(true);
        for (const table of ['flow_lease', 'schedule_claim']) {
          expect(await runner.hasColumn(table, 'instance_id'), table).to.equal(true);
          expect(await runner.hasColumn(table, 'pid_namespace'), table).to.equal(true);
        }
      } finally {
        await runner.release();
        await dataSource.destroy();
      }
    });
  });
}
