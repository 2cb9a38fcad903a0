import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, Main, Pre, Step, type JsonLogLine, type StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Attempt 1 fails with an Error logged beside the message; attempt 2 passes. */
@Step({ name: 'parse', retries: 1, retryDelayMs: 1 })
class Parse {
  @Pre() prepare(ctx: StepContext) {
    ctx.logger.info(`preparing with key ${String(ctx.credentials.secretAccessKey)}`);
  }

  @Main() run(ctx: StepContext) {
    if (ctx.attempt === 1) {
      ctx.logger.error('cannot parse the input', new TypeError(`bad byte near ${String(ctx.credentials.secretAccessKey)}`));
      throw new Error('parse failed');
    }
    ctx.logger.info('parsed');
  }
}

@Flow({ name: 'json_flow', steps: [Parse] })
class JsonFlow {}

const FIELDS = ['time', 'level', 'flow', 'timeperiod', 'runId', 'step', 'action', 'attempt', 'message', 'error'];

describe("logging: logs: { format: 'json' }", () => {
  it('writes one JSON object a line in the same files, every field right; app.logs reads them', async () => {
    const t = await createTestingApp({ flows: [JsonFlow], logs: { format: 'json' }, credentials: { secretAccessKey: SECRET } });
    try {
      const { runId } = await t.app.run('json_flow', { timeperiod: '2026112600' });
      const dir = path.join(t.logDirectory, 'json_flow');
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['json_flow.log', 'parse.log']);
      const read = (file: string) =>
        fs
          .readFileSync(path.join(dir, file), 'utf8')
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as JsonLogLine);
      const flowLines = read('json_flow.log');
      const stepLines = read('parse.log');
      expect(JSON.stringify([flowLines, stepLines])).to.not.include(SECRET);
      for (const line of [...flowLines, ...stepLines]) {
        expect(
          Object.keys(line).every((key) => FIELDS.includes(key)),
          Object.keys(line).join(),
        ).to.equal(true);
        expect(line.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect([line.flow, line.timeperiod, line.runId]).to.deep.equal(['json_flow', '2026112600', runId]);
      }
      // The flow's own lines: no step, no action, no attempt.
      expect(flowLines[0]).to.include({ level: 'INFO' }).and.not.have.any.keys('step', 'action', 'attempt');
      expect(flowLines[0].message).to.match(/^run of timeperiod 2026112600 started/);
      // The step's lines: its own, and its actions', each with its attempt.
      expect(stepLines.find((l) => l.message.startsWith('attempt 2 started')))
        .to.include({ step: 'parse', attempt: 2 })
        .and.not.have.key('action');
      expect(stepLines.find((l) => l.action === 'prepare' && l.message.startsWith('preparing'))).to.include({
        attempt: 1,
        message: 'preparing with key ***',
      });
      const failure = stepLines.find((l) => l.level === 'ERROR' && l.action === 'run' && l.message.startsWith('cannot parse'))!;
      expect(failure).to.include({ step: 'parse', attempt: 1, error: 'TypeError: bad byte near ***' });
      expect(stepLines.find((l) => l.message === 'parsed')).to.include({ action: 'run', attempt: 2, level: 'INFO' });

      const second = await t.app.logs('json_flow', { step: 'parse', runId, attempt: 2 });
      expect(second.length).to.be.above(2);
      expect(second.every((e) => e.attempt === 2 && e.runId === runId && e.step === 'parse')).to.equal(true);
      expect(second.map((e) => e.message)).to.include('parsed');
      const [first] = await t.app.logs('json_flow', { step: 'parse', runId, attempt: 1 });
      expect(first.time).to.be.instanceOf(Date);
      expect(first.line.startsWith('{')).to.equal(true);
      const errors = (await t.app.logs('json_flow', { step: 'parse', runId, attempt: 1 })).filter((e) => e.error);
      expect(errors.map((e) => e.error)).to.deep.equal(['TypeError: bad byte near ***']);
    } finally {
      await t.teardown();
    }
  });
});
