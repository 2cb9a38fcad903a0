import * as os from 'node:os';
import { expect } from 'chai';
import { DataSource, type DataSourceOptions } from 'typeorm';
import {
  bootstrap,
  ConfigurationError,
  InvalidTimeperiodError,
  RunNotFoundError,
  UnknownFlowError,
  UnknownStepError,
  type SynergyFlowApp,
} from '../../src';
import { ENTITIES, MIGRATIONS_TABLE } from '../../src/persistence';
import { flaky, HistoryFlow, OtherFlow, resetFlaky } from './fixtures/history-flow';
import { SPEC_DATABASES, type SpecDatabase } from './fixtures/spec-databases';

const TP1 = '2026112600';
const TP2 = '2026112700';

for (const kind of SPEC_DATABASES) {
  describe(`persistence/run history on ${kind.name}`, function () {
    this.timeout(60_000);
    let db: SpecDatabase;
    let app: SynergyFlowApp;
    const open = (settings: Record<string, unknown> = {}, keepDays?: number) =>
      bootstrap({
        flows: [HistoryFlow, OtherFlow],
        database: db.options,
        logDirectory: db.dir,
        settings,
        ...(keepDays ? { history: { keepDays } } : {}),
      });

    beforeEach(async () => {
      db = await kind.create();
      resetFlaky();
    });
    afterEach(async () => {
      await app?.close();
      await db.cleanup();
    });

    it('records every run and every attempt: retries each their own row, finished invalid with their error; a skipped step one noop row', async () => {
      app = await open();
      const first = await app.run('history_flow', { timeperiod: TP1, trigger: 'cli' });
      expect(first.state).to.equal('processed');

      const [run] = await app.history('history_flow');
      expect(run).to.include({
        runId: first.runId,
        flowName: 'history_flow',
        timeperiod: TP1,
        runMode: 'run',
        stepName: null,
        trigger: 'cli',
        state: 'processed',
        host: os.hostname(),
        pid: process.pid,
        error: null,
      });
      expect(run.finishedAt!.getTime()).to.be.at.least(run.startedAt.getTime());
      const attempts = run.attempts.map((a) => `${a.stepName}#${a.attempt} ${a.state}${a.error ? ` ${a.error}` : ''}`);
      expect(attempts.filter((a) => a.startsWith('flaky'))).to.deep.equal([
        'flaky#1 invalid Error: flaky failure 1',
        'flaky#2 invalid Error: flaky failure 2',
        'flaky#3 processed',
      ]);
      expect(attempts).to.include.members(['extract#1 processed', 'skipped#1 noop', 'load#1 processed']);
      expect(attempts, 'in the order they started').to.have.length(6);
      expect(attempts[0]).to.equal('extract#1 processed');
      expect(attempts.at(-1)).to.equal('load#1 processed');
      const retried = run.attempts.filter((a) => a.stepName === 'flaky');
      for (let i = 1; i < retried.length; i++) {
        expect(retried[i - 1].finishedAt!.getTime(), 'a failed try ended before the next started').to.be.at.most(
          retried[i].startedAt.getTime(),
        );
      }
      // Ids are the run's own integers, counting up in the order its attempts ended.
      const ended = [...run.attempts].sort((a, b) => a.finishedAt!.getTime() - b.finishedAt!.getTime() || a.id - b.id);
      expect(ended.map((a) => a.id)).to.deep.equal([...run.attempts.map((a) => a.id)].sort((a, b) => a - b));
      expect(retried.map((a) => a.id).every((id, i, ids) => Number.isSafeInteger(id) && id > 0 && (i === 0 || id > ids[i - 1]))).to.equal(
        true,
      );
      expect(run.attempts.find((a) => a.stepName === 'skipped')).to.include({ cluster: null });
      expect(run.attempts.find((a) => a.stepName === 'load')!.cluster)
        .to.be.a('string')
        .and.not.equal('');
      for (const a of run.attempts) expect(a).to.include({ runId: first.runId, flowName: 'history_flow', timeperiod: TP1 });
      expect(await app.historyRun(first.runId)).to.deep.equal(run);
    });

    it('keeps every run of a timeperiod (the flow and step rows keep only the latest): newest first, paged with before, filtered by timeperiod', async () => {
      flaky.failures = 0;
      app = await open({ failLoad: true });
      const failed = await app.run('history_flow', { timeperiod: TP1 });
      expect(failed.state).to.equal('invalid');
      await app.close();
      app = await open();
      const recovered = await app.recover('history_flow', { timeperiod: TP1 });
      const one = await app.runOne('history_flow', 'load', { timeperiod: TP1, trigger: 'viewer' });
      const other = await app.run('history_flow', { timeperiod: TP2, trigger: 'backfill' });
      await app.run('other_flow', { timeperiod: TP1 });

      const all = await app.history('history_flow');
      expect(all.map((r) => r.runId)).to.deep.equal([other.runId, one.runId, recovered.runId, failed.runId]);
      expect(all.map((r) => `${r.runMode} ${r.state} ${r.trigger}`)).to.deep.equal([
        'run processed backfill',
        'run_one processed viewer',
        'recover processed api',
        'run invalid api',
      ]);
      expect(all[1].stepName).to.equal('load');
      expect(all[1].attempts.map((a) => a.stepName)).to.deep.equal(['load']);
      expect(
        all[2].attempts.map((a) => a.stepName),
        'recover ran what had not finished',
      ).to.deep.equal(['load']);
      expect(all[3].attempts.find((a) => a.stepName === 'load')).to.include({ state: 'invalid', error: 'Error: load refused' });
      expect((await app.status('history_flow', TP1)).flow.runMode, 'the flow row: the latest run only').to.equal('run_one');
      // Each run's ids are a range of their own: no id of one run falls between two of another's.
      const ranges = all.map((r) => [Math.min(...r.attempts.map((a) => a.id)), Math.max(...r.attempts.map((a) => a.id))]);
      for (const [i, [low, high]] of ranges.entries()) {
        for (const [j, other] of all.entries()) {
          if (i !== j)
            expect(
              other.attempts.filter((a) => a.id >= low && a.id <= high),
              `run ${j} within run ${i}'s ids`,
            ).to.deep.equal([]);
        }
      }

      expect((await app.history('history_flow', { timeperiod: TP1 })).map((r) => r.runId)).to.deep.equal([
        one.runId,
        recovered.runId,
        failed.runId,
      ]);
      const page1 = await app.history('history_flow', { limit: 2 });
      expect(page1.map((r) => r.runId)).to.deep.equal([other.runId, one.runId]);
      const page2 = await app.history('history_flow', { limit: 2, before: page1[1].runId });
      expect(page2.map((r) => r.runId)).to.deep.equal([recovered.runId, failed.runId]);
      expect(await app.history('history_flow', { limit: 2, before: failed.runId })).to.deep.equal([]);
      expect((await app.history('other_flow')).map((r) => r.flowName)).to.deep.equal(['other_flow']);

      // A list of runs without their attempts: the same runs, the same fields, the same filters and pages.
      const summaries = await app.history('history_flow', { attempts: false });
      expect(summaries).to.deep.equal(all.map(({ attempts: _attempts, ...run }) => run));
      expect(summaries.filter((run) => 'attempts' in run)).to.deep.equal([]);
      const summaryPage = await app.history('history_flow', { timeperiod: TP1, limit: 1, before: one.runId, attempts: false });
      expect(summaryPage.map((r) => r.runId)).to.deep.equal([recovered.runId]);
      expect((await app.history('history_flow', { attempts: true }))[0].attempts, 'attempts: true is the default').to.deep.equal(
        all[0].attempts,
      );
    });

    it("with step, reads each run with that step's attempts only: the same runs, pages and filters, a run that did not run it with none", async () => {
      flaky.failures = 0;
      app = await open({ failLoad: true });
      await app.run('history_flow', { timeperiod: TP1 });
      await app.close();
      resetFlaky();
      app = await open();
      await app.recover('history_flow', { timeperiod: TP1 });
      await app.runOne('history_flow', 'extract', { timeperiod: TP1 });
      await app.run('history_flow', { timeperiod: TP2 });
      await app.run('other_flow', { timeperiod: TP1 });
      const all = await app.history('history_flow');
      const ofStep = (step: string) => all.map((run) => ({ ...run, attempts: run.attempts.filter((a) => a.stepName === step) }));

      for (const step of ['extract', 'flaky', 'skipped', 'load']) {
        expect(await app.history('history_flow', { step }), step).to.deep.equal(ofStep(step));
      }
      const flakyRuns = await app.history('history_flow', { step: 'flaky' });
      expect(flakyRuns.map((r) => r.attempts.map((a) => `${a.attempt} ${a.state}`))).to.deep.equal([
        ['1 invalid', '2 invalid', '3 processed'],
        [],
        [],
        ['1 processed'],
      ]);
      const page = await app.history('history_flow', { timeperiod: TP1, limit: 1, before: all[1].runId, step: 'load' });
      expect(page).to.deep.equal([ofStep('load')[2]]);
      expect(
        page[0].attempts.map((a) => a.state),
        'the recover ran load again',
      ).to.deep.equal(['processed']);
      expect(await app.history('other_flow', { step: 'extract' })).to.have.length(1);
    });

    it('refuses bad requests with a clear error, before reading anything', async () => {
      app = await open();
      const { runId } = await app.run('other_flow', { timeperiod: TP1 });
      const refused = (p: Promise<unknown>) =>
        p.then(
          () => expect.fail('accepted'),
          (err: Error) => err,
        );
      expect(await refused(app.history('nope'))).to.be.instanceOf(UnknownFlowError);
      expect(await refused(app.history('history_flow', { timeperiod: '2026133100' }))).to.be.instanceOf(InvalidTimeperiodError);
      const bad = await refused(app.history('history_flow', { limit: 0, befor: 'x' } as never));
      expect(bad).to.be.instanceOf(ConfigurationError);
      expect(bad.message)
        .to.match(/limit: must be a whole number of runs from 1 to 1000, got 0/)
        .and.to.match(/did you mean 'before'/);
      expect((await refused(app.history('history_flow', { limit: 1001 }))).message).to.match(/from 1 to 1000, got 1001/);
      expect((await refused(app.history('history_flow', { before: 'not a run id' }))).message).to.match(/before: must be a run id/);
      expect((await refused(app.history('history_flow', { attempts: 'no' } as never))).message).to.match(
        /attempts: must be true or false, got 'no'/,
      );
      const unknownStep = await refused(app.history('history_flow', { step: 'lod' }));
      expect(unknownStep).to.be.instanceOf(UnknownStepError);
      expect(unknownStep.message).to.match(/flow 'history_flow' has no step 'lod'.*did you mean 'load'/);
      expect((await refused(app.history('history_flow', { step: '' }))).message).to.match(
        /step: must be the name of one of the flow's steps, got ''/,
      );
      expect((await refused(app.history('history_flow', { step: 4 } as never))).message).to.match(
        /step: must be the name of one of the flow's steps, got 4/,
      );
      expect((await refused(app.history('history_flow', { step: 'load', attempts: false }))).message).to.match(
        /step: picks which attempts each run has, and `attempts: false` asks for none: leave one of them out/,
      );
      const unknown = await refused(app.history('history_flow', { before: 'zzzzzzzzzzzzzz' }));
      expect(unknown).to.be.instanceOf(RunNotFoundError).and.include({ code: 'ERR_SYNERGY_RUN_NOT_FOUND', runId: 'zzzzzzzzzzzzzz' });
      expect(unknown.message).to.include("no run 'zzzzzzzzzzzzzz' of flow 'history_flow'");
      const foreign = await refused(app.history('history_flow', { before: runId }));
      expect(foreign).to.be.instanceOf(RunNotFoundError);
      expect(foreign.message).to.include(`run '${runId}' is a run of flow 'other_flow'`);
      expect((await refused(app.historyRun('zzzzzzzzzzzzzz'))).message).to.include("no run 'zzzzzzzzzzzzzz'");
      expect(await refused(app.historyRun('nope'))).to.be.instanceOf(ConfigurationError);
    });

    it("keeps each run's attempts its own when the database's row order changes (a dump and restore, VACUUM), and new runs' ids never meet old ones", async () => {
      app = await open();
      const runs = [await app.run('history_flow', { timeperiod: TP1 }), await app.run('history_flow', { timeperiod: TP2 })];
      const before = await app.history('history_flow');
      await app.close();
      // The first run's history goes (as retention deletes it), then every flow_run row is written
      // anew, as restoring a dump does: SQLite gives the rows new rowids, from 1.
      const raw = new DataSource({ ...(db.options as DataSourceOptions), entities: ENTITIES, migrationsTableName: MIGRATIONS_TABLE });
      await raw.initialize();
      try {
        const schema = (db.options as { schema?: string }).schema;
        const [attempts, flowRuns] = ['step_attempt', 'flow_run'].map((t) => (schema ? `"${schema}"."${t}"` : `"${t}"`));
        await raw.transaction(async (m) => {
          await m.query(`DELETE FROM ${attempts} WHERE run_id = '${runs[0].runId}'`);
          await m.query(`DELETE FROM ${flowRuns} WHERE id = '${runs[0].runId}'`);
          await m.query(`CREATE TEMPORARY TABLE restored AS SELECT * FROM ${flowRuns}`);
          await m.query(`DELETE FROM ${flowRuns}`);
          await m.query(`INSERT INTO ${flowRuns} SELECT * FROM restored`);
          await m.query('DROP TABLE restored');
        });
      } finally {
        await raw.destroy();
      }
      app = await open();
      flaky.calls = 0;
      const next = await app.run('history_flow', { timeperiod: TP1 });
      const after = await app.history('history_flow');
      expect(after.map((r) => r.runId)).to.deep.equal([next.runId, runs[1].runId]);
      expect(after[1], 'the run that stayed reads as before').to.deep.equal(before[0]);
      for (const run of after) {
        expect(
          run.attempts.every((a) => a.runId === run.runId),
          `${run.runId}: only its own attempts`,
        ).to.equal(true);
        expect(run.attempts.map((a) => a.stepName)).to.include.members(['extract', 'flaky', 'skipped', 'load']);
      }
      const ids = after.flatMap((r) => r.attempts.map((a) => a.id));
      expect(new Set(ids).size).to.equal(ids.length);
    });

    it('deletes, in the background, the history of runs that ended more than keepDays ago; runs in progress and recent ones stay', async () => {
      app = await open({}, 30);
      const old = await app.run('other_flow', { timeperiod: TP1 });
      const oldButRunning = await app.run('other_flow', { timeperiod: TP2 });
      const recent = await app.run('history_flow', { timeperiod: TP1 });
      await app.close();

      // Backdated in the database: one run ended 31 days ago, one started 40 days ago and never ended.
      const raw = new DataSource({
        ...db.options,
        entities: ENTITIES,
        migrationsTableName: MIGRATIONS_TABLE,
        logging: false,
      } as DataSourceOptions);
      await raw.initialize();
      const day = 24 * 60 * 60 * 1000;
      await raw
        .getRepository('FlowRunEntity')
        .update({ runId: old.runId }, { startedAt: new Date(Date.now() - 31 * day), finishedAt: new Date(Date.now() - 31 * day) });
      await raw
        .getRepository('FlowRunEntity')
        .update({ runId: oldButRunning.runId }, { state: 'in_progress', startedAt: new Date(Date.now() - 40 * day), finishedAt: null });
      await raw.destroy();

      app = await open({}, 30);
      await app.ready();
      const deadline = Date.now() + 30_000;
      while ((await app.history('other_flow')).some((r) => r.runId === old.runId)) {
        expect(Date.now(), 'the sweep at open deleted the old run').to.be.below(deadline);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await app.history('other_flow')).map((r) => r.runId)).to.deep.equal([oldButRunning.runId]);
      expect((await app.history('history_flow')).map((r) => r.runId)).to.deep.equal([recent.runId]);
      expect((await app.historyRun(recent.runId)).attempts).to.have.length(6);
      const left = new DataSource({ ...db.options, entities: ENTITIES, logging: false } as DataSourceOptions);
      await left.initialize();
      try {
        expect(await left.getRepository('StepAttemptEntity').countBy({ runId: old.runId }), 'its attempts went with it').to.equal(0);
        expect(await left.getRepository('FlowEntity').countBy({ flowName: 'other_flow' }), 'the flow rows are not history').to.equal(2);
      } finally {
        await left.destroy();
      }
    });

    it('refuses a bad history option at bootstrap', async () => {
      const err = await bootstrap({
        flows: [HistoryFlow],
        database: db.options,
        logDirectory: db.dir,
        history: { keepDays: 0, keep: 1 } as never,
      }).then(
        () => expect.fail('accepted'),
        (e: Error) => e,
      );
      expect(err).to.be.instanceOf(ConfigurationError);
      expect(err.message)
        .to.match(/history\.keepDays: must be a whole number of days from 1 to 36500, got 0/)
        .and.to.match(/history\.keep: unknown option/);
    });
  });
}
