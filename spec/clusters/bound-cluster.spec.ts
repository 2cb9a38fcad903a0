import { expect } from 'chai';
import { Flow, Main, Step, type StepContext } from '../../src';
import { createTestingApp } from '../../src/testing';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

/** Commands that print nothing: without their `running:` line the step log would not show they ran. */
@Step({ name: 'silent' })
class Silent {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runShellCommand('true');
    await ctx.cluster.runCommand(['test', '-n', `it's ${String(ctx.credentials.token)}`]);
  }
}

@Flow({ name: 'silent_flow', steps: [Silent] })
class SilentFlow {}

describe('clusters/BoundCluster: every command is logged before it runs', () => {
  it('leaves a `running: <argv>` line in the step log for a command that prints nothing, secrets redacted', async () => {
    const t = await createTestingApp({ flows: [SilentFlow], credentials: { token: SECRET } });
    try {
      const { runId, state } = await t.app.run('silent_flow', { timeperiod: '2026112600' });
      expect(state).to.equal('processed');
      const lines = (await t.app.logs('silent_flow', { step: 'silent', runId })).map((e) => `${e.action} ${e.level} ${e.message}`);
      const started = lines.indexOf('run INFO started (main)');
      expect(lines.slice(started + 1, started + 3)).to.deep.equal([
        'run INFO running: /bin/sh -c true',
        "run INFO running: test -n 'it'\\''s ***'",
      ]);
      expect(lines.join('\n')).to.not.include(SECRET);
    } finally {
      await t.teardown();
    }
  });
});
