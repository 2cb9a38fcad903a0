import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { FakeEmrEndpoint } from '../support/fake-emr-endpoint';
import { CliSandbox } from './support/cli-sandbox';

const SECRET_ENTRY = path.resolve(__dirname, 'fixtures/secret-entry.js');
const PIN = 'p7';
const KEY = 'k"e\\y';
const ENV = { SECRET_PIN: PIN, SECRET_KEY: KEY };

function expectNoSecret(text: string): void {
  expect(text).not.to.match(/\bp7\b/);
  expect(text).not.to.include(KEY);
  expect(text).not.to.include(JSON.stringify(KEY).slice(1, -1));
}

describe('cli: secrets in what it prints', () => {
  let sandbox: CliSandbox;
  beforeEach(() => (sandbox = new CliSandbox()));
  afterEach(() => sandbox.cleanup());

  it("a failing step's error quoting a short and an escaped secret: redacted in the progress lines, the table, the summary and status --json", async () => {
    const run = await sandbox.run(['run', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env: ENV });
    expect(run.code).to.equal(1);
    expect(run.stdout).to.include('refused {"key":"***"} with pin ***');
    expectNoSecret(run.stdout + run.stderr);
    const status = await sandbox.run(['status', 'quoting_flow', '-t', '2026112600', '--json'], { entry: SECRET_ENTRY, env: ENV });
    expect(status.stdout).to.include('refused {\\"key\\":\\"***\\"} with pin ***');
    expectNoSecret(status.stdout + status.stderr);
  });

  it('a cluster launch error echoing the access key and the secret: redacted in the summary and in run --json', async () => {
    const fake = await FakeEmrEndpoint.start();
    try {
      const env = { ...ENV, FAKE_EMR_URL: fake.url };
      const echo = { status: 400, type: 'ValidationException', message: `bad keys ${PIN}:${KEY} ${JSON.stringify(KEY)}` };
      fake.failNext('RunJobFlow', echo);
      const run = await sandbox.run(['run', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env });
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/no cluster could be launched: .*bad keys \*\*\*:\*\*\* "\*\*\*"/);
      expectNoSecret(run.stdout + run.stderr);

      fake.failNext('RunJobFlow', echo);
      const json = await sandbox.run(['run', 'quoting_flow', '-t', '2026112600', '--json'], { entry: SECRET_ENTRY, env });
      expect(json.code).to.equal(1);
      expect(JSON.parse(json.stdout).error).to.match(/bad keys \*\*\*:\*\*\*/);
      expectNoSecret(json.stdout + json.stderr);
    } finally {
      await fake.close();
    }
  });

  it('an error row written before the secret was known (an older version, another engine) is shown redacted by status and status --json', async () => {
    await sandbox.run(['run', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env: ENV });
    const db = new Database(sandbox.database);
    try {
      db.prepare('UPDATE step SET error = ?').run(`Error: refused ${JSON.stringify({ key: KEY })} with pin ${PIN}`);
    } finally {
      db.close();
    }
    const table = await sandbox.run(['status', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env: ENV });
    expect(table.stdout).to.include('refused {"key":"***"} with pin ***');
    expectNoSecret(table.stdout + table.stderr);
    const json = await sandbox.run(['status', 'quoting_flow', '-t', '2026112600', '--json'], { entry: SECRET_ENTRY, env: ENV });
    expect(JSON.parse(json.stdout).steps[0].error).to.equal('Error: refused {"key":"***"} with pin ***');
    expectNoSecret(json.stdout + json.stderr);
  });

  it('a SYNERGY_FLOW_DATABASE URL of another scheme is refused, without its password, before anything is written', async () => {
    const before = fs.readdirSync(sandbox.dir).sort();
    for (const url of ['postgresql+psycopg://bob:Hunter2Secret@db.example/prod', 'pg://bob:Hunter2Secret@db.example/prod']) {
      const run = await sandbox.run(['run', 'hello_world', '-t', '2026112600'], { env: { SYNERGY_FLOW_DATABASE: url } });
      expect(run.code).to.equal(2);
      expect(run.stderr).to.match(
        /SYNERGY_FLOW_DATABASE: is a '(postgresql\+psycopg|pg):\/\/' URL, which synergy-flow cannot open: give a postgres:\/\//,
      );
      expect(run.stdout + run.stderr).not.to.include('Hunter2Secret');
      // It used to run on a new SQLite file at that "path", in directories named after the user and password.
      expect(fs.readdirSync(sandbox.dir).sort()).to.deep.equal(before);
    }
  });

  it("an old error row longer than the table's cell, a secret across its cut: status and history show no piece of it", async () => {
    const longKey = 'hUnT/c+Secret/Key+0123456789abcdefABCDEF';
    const env = { SECRET_PIN: PIN, SECRET_KEY: longKey };
    await sandbox.run(['run', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env });
    // The cell keeps 99 characters: this one cuts the key after its first 20.
    const error = `Error: ${'x'.repeat(72)} key ${longKey} (retry later)`;
    const db = new Database(sandbox.database);
    let runId: string;
    try {
      db.prepare('UPDATE step SET error = ?').run(error);
      db.prepare('UPDATE step_attempt SET error = ?').run(error);
      db.prepare('UPDATE flow_run SET error = ?').run(error);
      runId = (db.prepare('SELECT id FROM flow_run').get() as { id: string }).id;
    } finally {
      db.close();
    }
    const status = await sandbox.run(['status', 'quoting_flow', '-t', '2026112600'], { entry: SECRET_ENTRY, env });
    const history = await sandbox.run(['history', 'quoting_flow', '--run', runId], { entry: SECRET_ENTRY, env });
    for (const output of [status.stdout, history.stdout]) {
      expect(output).to.include(' key *** (retry');
      for (let i = 0; i + 6 <= longKey.length; i++) expect(output).not.to.include(longKey.slice(i, i + 6));
    }
  });
});
