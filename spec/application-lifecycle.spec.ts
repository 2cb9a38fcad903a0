import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApplicationClosedError, bootstrap, Flow, Main, Step, type SynergyFlowApp } from '../src';

@Step()
class Noop {
  @Main() async run(): Promise<void> {}
}

@Flow({ name: 'lifecycle_flow', steps: [Noop] })
class LifecycleFlow {}

describe('application lifecycle', () => {
  let dir: string;
  let app: SynergyFlowApp | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-lifecycle-'))));
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    bootstrap({
      flows: [LifecycleFlow],
      database: { type: 'better-sqlite3', database: path.join(dir, 'state.db') },
      logDirectory: path.join(dir, 'logs'),
    });

  it('bootstrap() opens no database: the app is starting; ready() opens it once for concurrent callers, then it is running', async () => {
    app = await start();
    expect(app.state).to.equal('starting');
    expect(fs.existsSync(path.join(dir, 'state.db'))).to.equal(false);
    await Promise.all([app.ready(), app.ready(), app.runs('lifecycle_flow')]);
    expect(app.state).to.equal('running');
    expect(fs.existsSync(path.join(dir, 'state.db'))).to.equal(true);
  });

  it('the first run opens the database itself', async () => {
    app = await start();
    expect((await app.run('lifecycle_flow', { timeperiod: '2026112600' })).state).to.equal('processed');
    expect(app.state).to.equal('running');
  });

  it('a bad run request is refused before the database is created', async () => {
    app = await start();
    await app.run('lifecycle_flow', { timeperiod: '2026133300' }).then(
      () => expect.fail('accepted month 33'),
      () => undefined,
    );
    await app.runOne('lifecycle_flow', 'nope', { timeperiod: '2026112600' }).then(
      () => expect.fail('accepted an unknown step'),
      () => undefined,
    );
    expect(fs.existsSync(path.join(dir, 'state.db'))).to.equal(false);
  });

  it('status and runs of a SQLite file that does not exist answer as for a flow that never ran, and create nothing', async () => {
    app = await start();
    expect(await app.runs('lifecycle_flow')).to.deep.equal([]);
    const err = await app.status('lifecycle_flow', '2026112600').catch((e: Error) => e);
    expect(err).to.have.property('name', 'FlowRunNotFoundError');
    expect(app.describeDatabase()).to.equal(`better-sqlite3 '${path.join(dir, 'state.db')}'`);
    expect(fs.existsSync(path.join(dir, 'state.db'))).to.equal(false);
    expect(app.state).to.equal('starting');
  });

  it('recover of a SQLite file that does not exist: the run never happened, and no file is created', async () => {
    app = await start();
    const err = await app.recover('lifecycle_flow', { timeperiod: '2026112600' }).catch((e: Error) => e);
    expect(err).to.have.property('name', 'FlowRunNotFoundError');
    expect(fs.existsSync(path.join(dir, 'state.db'))).to.equal(false);
  });

  it('close() is kept: a second call returns the same promise, and both wait until the app is closed', async () => {
    app = await start();
    await app.ready();
    const first = app.close();
    const second = app.close();
    expect(second).to.equal(first);
    expect(app.state).to.equal('closing');
    await second;
    expect(app.state).to.equal('closed');
  });

  it('after close(), runs, reads and ready() are refused with ApplicationClosedError', async () => {
    app = await start();
    await app.close();
    for (const call of [
      () => app!.run('lifecycle_flow', { timeperiod: '2026112600' }),
      () => app!.ready(),
      () => app!.runs('lifecycle_flow'),
    ]) {
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ApplicationClosedError);
      expect((err as Error).message).to.match(/closed.*bootstrap\(\) a new application/);
    }
  });

  it('close() while the database is opening waits for it and closes it', async () => {
    app = await start();
    const opening = app.ready();
    await app.close();
    await opening;
    expect(app.state).to.equal('closed');
  });
});
