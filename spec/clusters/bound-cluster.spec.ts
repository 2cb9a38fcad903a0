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

/** A password written into the step's code: no option told the application of it. */
const LITERAL = 'hunter2hunter2';

/** Commands that carry a literal credential, the last of which fails. */
@Step({ name: 'literal' })
class Literal {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.runCommand(['true', '--password', LITERAL, `--db-password=${LITERAL}`]);
    await ctx.cluster.runShellCommand(`true -H 'Authorization: Bearer ${LITERAL}' postgresql://etl:${LITERAL}@db/etl`);
    await ctx.cluster.runShellCommand(`no-such-tool-here --password ${LITERAL} --verbose`);
  }
}

@Flow({ name: 'literal_flow', steps: [Literal] })
class LiteralFlow {}

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

  it('shows a credential written into the command as *** in its `running:` line and in the error of a command that fails', async () => {
    const t = await createTestingApp({ flows: [LiteralFlow] });
    try {
      const { runId, state } = await t.app.run('literal_flow', { timeperiod: '2026112600' });
      expect(state).to.equal('invalid');
      const lines = (await t.app.logs('literal_flow', { step: 'literal', runId })).map((e) => e.message);
      expect(lines.filter((l) => l.startsWith('running: '))).to.deep.equal([
        "running: true --password '***' '--db-password=***'",
        "running: /bin/sh -c 'true -H '\\''Authorization: ***'\\'' postgresql://etl:***@db/etl'",
        "running: /bin/sh -c 'no-such-tool-here --password *** --verbose'",
      ]);
      const [step] = (await t.app.status('literal_flow', '2026112600')).steps;
      expect(step.error).to.match(/shell command 'no-such-tool-here --password \*\*\* --verbose' exited with code 127/);
      expect([...lines, step.error].join('\n')).to.not.include(LITERAL);
    } finally {
      await t.teardown();
    }
  });
});
