import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliSandbox } from './support/cli-sandbox';

const ROOT = path.resolve(__dirname, '../../..');

/** `npm install && npm start` is the README's first command: it must build, then run a sample through the CLI. */
describe('npm start', () => {
  let sandbox: CliSandbox;
  before(() => (sandbox = new CliSandbox()));
  after(() => sandbox.cleanup());

  it('builds first, then runs a sample flow end to end on the defaults and prints each step’s final state', () => {
    const start: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;
    const [build, run] = start.split(' && ');
    expect(build).to.equal('npm run build --silent');
    const [node, ...args] = run.split(' ');
    expect(node).to.equal('node');
    // The built files are the repository's; the database and the logs land in the working directory.
    const argv = args.map((a) => (a.startsWith('dist/') ? path.join(ROOT, a) : a));
    const stdout = execFileSync(process.execPath, argv, { cwd: sandbox.dir, env: sandbox.env() }).toString();
    const flow = argv[argv.indexOf('run') + 1];
    const steps = sandbox.steps(flow, argv[argv.indexOf('-t') + 1]);
    expect(steps.length).to.be.at.least(2);
    for (const step of steps) {
      expect(step.state).to.equal('processed');
      expect(stdout).to.match(new RegExp(`^${step.step_name}\\s+processed\\s+1\\s`, 'm'));
    }
    expect(fs.existsSync(path.join(sandbox.dir, 'logs', flow, `${flow}.log`))).to.equal(true);
  });
});
