import { expect } from 'chai';
import { StepBlockedError } from '../../src/errors';
import { cliErrorMessage } from '../../src/cli/render/cli-error.message';

describe('cli: a blocked step, in the command line’s words', () => {
  it('run-from whose descendant depends on an unprocessed step outside the run names both steps and the commands to type', () => {
    const err = new StepBlockedError('daily', '2026112600', 'report', ['load_b'], false, 'load_a');
    expect(cliErrorMessage(err, 'synergy-flow --app main.js')).to.equal(
      "run-from 'load_a' would run step 'report' of flow 'daily' for timeperiod 2026112600, which is blocked: its dependencies 'load_b' " +
        "are not processed; run them first: 'synergy-flow --app main.js run-from daily load_b -t 2026112600' (or run-one each of them), " +
        "or 'synergy-flow --app main.js recover daily -t 2026112600'",
    );
  });
});
