import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { Flow, Main, Step, StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const contexts: StepContext[] = [];

@Step({ name: 'leaky' })
class Leaky {
  @Main() run(ctx: StepContext) {
    contexts.push(ctx);
    // a careless user logs the whole context, and even the secret itself
    ctx.logger.info(`context: ${JSON.stringify(ctx)}`);
    ctx.logger.info(`inspect: ${inspect(ctx)}`);
    ctx.logger.warn(`the key is ${String(ctx.credentials.secretAccessKey)}`);
    throw new Error(`failed with key ${String(ctx.credentials.secretAccessKey)}`);
  }
}

@Flow({ name: 'leaky_flow', steps: [Leaky] })
class LeakyFlow {}

describe('engine/ExecutionContext', () => {
  it('carries flow name, timeperiods, run mode, settings and credentials, and never shows the credentials', async () => {
    const t = await createTestingApp({
      flows: [LeakyFlow],
      settings: { bucket: 'data' },
      credentials: { accessKeyId: 'AKIAEXAMPLEKEYID', secretAccessKey: SECRET },
    });
    try {
      const result = await t.app.run('leaky_flow', {
        timeperiod: '2026112600',
        startTimeperiod: '2026112500',
        endTimeperiod: '2026112600',
      });
      expect(result.state).to.equal('invalid');
      const ctx = contexts[0];
      expect(ctx).to.include({
        flowName: 'leaky_flow',
        timeperiod: '2026112600',
        startTimeperiod: '2026112500',
        endTimeperiod: '2026112600',
        runMode: 'run',
        stepName: 'leaky',
        attempt: 1,
      });
      expect(ctx.settings).to.deep.equal({ bucket: 'data' });
      expect(ctx.credentials.secretAccessKey).to.equal(SECRET);
      expect(JSON.stringify(ctx)).to.not.include(SECRET);
      expect(inspect(ctx, { depth: 5 })).to.not.include(SECRET);
      expect(Object.keys(ctx)).to.not.include('credentials');

      const logs = fs
        .readdirSync(path.join(t.logDirectory, 'leaky_flow'))
        .map((f) => fs.readFileSync(path.join(t.logDirectory, 'leaky_flow', f), 'utf8'))
        .join('\n');
      expect(logs).to.include('the key is ***');
      expect(logs).to.include('[redacted]');
      expect(logs).to.not.include(SECRET);
      expect(JSON.stringify(t.events)).to.not.include(SECRET);
      const { steps } = await t.app.status('leaky_flow', '2026112600');
      expect(steps[0].error).to.include('failed with key ***');
      expect(JSON.stringify(steps)).to.not.include(SECRET);
    } finally {
      await t.teardown();
    }
  });
});
