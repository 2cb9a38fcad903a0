import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runWithAppInChild } from '../support/app-in-child';

/**
 * The engine never loads log4js itself (loading it only to ask whether the application configured
 * it cost every CLI run ~80 modules): it forwards lines once the application has loaded log4js.
 * These run in a child process, as the spec process has log4js loaded already.
 */
describe('logging: log4js is loaded by the application, never by the engine', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-log4js-loading-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inChild = (body: string) => runWithAppInChild(dir, body);

  it('a run of an application that never loads log4js does not load it', () => {
    const out = inChild(`
    await app.run('hello_world', { timeperiod: '2026112600' });
    console.log('log4js loaded: ' + (loaded('log4js') > 0));`);
    expect(out).to.include('log4js loaded: false');
  });

  it('an application that loads and configures log4js after the engine has logged gets the lines logged from then on', () => {
    const out = inChild(`
    await app.run('hello_world', { timeperiod: '2026112600' });
    const log4js = require(${JSON.stringify(require.resolve('log4js'))});
    log4js.configure({ appenders: { rec: { type: 'recording' } }, categories: { default: { appenders: ['rec'], level: 'info' } } });
    await app.run('hello_world', { timeperiod: '2026112700' });
    const lines = log4js.recording().replay().filter((e) => e.categoryName === 'synergy-flow').map((e) => e.context.timeperiod + ' ' + e.data.join(' '));
    console.log(JSON.stringify(lines));`);
    const lines = JSON.parse(out.trim().split('\n').pop()!) as string[];
    expect(lines).to.include('2026112700 hello, timeperiod 2026112700');
    expect(lines.filter((line) => line.startsWith('2026112600'))).to.deep.equal([]);
  });
});
