import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseUnavailableError, DependsOn, Flow, Main, Step, type StepContext } from '../../src';
import { createTestingApp, type TestingApp } from '../../src/testing';
import { requirePrivilege } from '../support/system-tool';

const TP = '2026120100';
/** A short lease: a full disk is waited for as long as lease.ttlMs. */
const LEASE = { ttlMs: 2_000, heartbeatMs: 200 };

interface DiskSettings {
  /** The file that takes the disk's last byte. */
  filler: string;
  /** Deleted this long after the disk is full; 0: left there. */
  freeAfterMs: number;
  /** Set once the disk was filled: a recover that runs the step again does not fill it again. */
  filled?: boolean;
}

/** Fills the disk the database is on (as another program writing there would), and maybe frees it a little later. */
@Step({ name: 'fill' })
class FillTheDisk {
  @Main() run(ctx: StepContext) {
    const settings = ctx.settings as unknown as DiskSettings;
    const { filler, freeAfterMs } = settings;
    if (settings.filled) return;
    settings.filled = true;
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(4096, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
    if (freeAfterMs) setTimeout(() => fs.rmSync(filler), freeAfterMs);
  }
}

@Step({ name: 'after' })
@DependsOn(FillTheDisk)
class AfterTheFill {
  @Main() run() {}
}

@Flow({ name: 'disk_full', steps: [FillTheDisk, AfterTheFill] })
class DiskFullFlow {}

/** Mounts a 2 MiB tmpfs on a fresh directory: a real disk that fills; undefined where mounting is not allowed (not root). */
function smallDisk(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-disk-full-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' }).status === 0) return dir;
  fs.rmdirSync(dir);
  return undefined;
}

describe('persistence: the SQLite database disk full in the middle of a run', function () {
  this.timeout(60_000);
  let disk: string | undefined;
  let t: TestingApp | undefined;
  before(function () {
    disk = smallDisk();
    requirePrivilege(this, disk !== undefined, 'mounting a small tmpfs');
  });
  after(() => {
    if (!disk) return;
    spawnSync('umount', [disk]);
    fs.rmdirSync(disk);
  });
  afterEach(async () => {
    await t?.teardown();
    t = undefined;
    for (const file of fs.readdirSync(disk!)) fs.rmSync(path.join(disk!, file), { force: true });
  });

  const start = async (freeAfterMs: number) => {
    const settings: DiskSettings = { filler: path.join(disk!, 'filler'), freeAfterMs };
    t = await createTestingApp({
      flows: [DiskFullFlow],
      database: { type: 'better-sqlite3', database: path.join(disk!, 'state.db') },
      lease: LEASE,
      settings: settings as unknown as Record<string, unknown>,
    });
    return t;
  };
  const leaseRows = () => {
    const db = new Database(path.join(disk!, 'state.db'), { readonly: true });
    try {
      return db.prepare('SELECT expires_at FROM flow_lease').all() as Array<{ expires_at: number }>;
    } finally {
      db.close();
    }
  };

  it('waits for the disk to have room, as through an outage: freed within lease.ttlMs, the run ends processed and releases its lease', async () => {
    const app = (await start(500)).app;
    const result = await app.run('disk_full', { timeperiod: TP });
    expect(result.state).to.equal('processed');
    expect(leaseRows()).to.deep.equal([]);
  });

  it('still full after lease.ttlMs: the run stops with an error saying the disk is full and what to do; its lease has expired by then', async () => {
    const app = (await start(0)).app;
    const err = await app.run('disk_full', { timeperiod: TP }).then(
      () => expect.fail('the run ended on a full disk'),
      (e: Error) => e,
    );
    const stoppedAt = Date.now();
    expect(err).to.be.instanceOf(DatabaseUnavailableError).and.include({ reason: 'disk-full' });
    expect(err.message)
      .to.match(/^the disk that holds the database is full: no write had room for \d+ ms/)
      .and.to.include('SQLITE_FULL')
      .and.to.match(/free space on that disk \(or move the database to a larger one\), then recover the run$/);
    // The disk had no room to delete the lease row, but no engine waits for it: it has expired.
    const [lease] = leaseRows();
    expect(lease.expires_at, 'the lease expired when the run stopped').to.be.at.most(stoppedAt);

    // Room again: the period is recovered, and the stopped run's history says why it stopped.
    fs.rmSync(path.join(disk!, 'filler'));
    expect((await app.recover('disk_full', { timeperiod: TP })).state).to.equal('processed');
    const [recovered, stopped] = await app.history('disk_full');
    expect([recovered.runMode, recovered.state, stopped.runMode, stopped.state]).to.deep.equal(['recover', 'processed', 'run', 'invalid']);
    expect(stopped.error).to.include('the disk that holds the database is full');
  });
});
