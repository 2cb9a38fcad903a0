import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DependsOn, Flow, Main, Step, type StepContext } from '../src';

/**
 * `load` fails until a marker file exists, like a job waiting on a late upstream delivery:
 * run it, see the flow end invalid, create the marker (`ctx.settings.markerFile`), recover.
 */
export const markerFile = (ctx: StepContext) =>
  String(ctx.settings.markerFile ?? path.join(os.tmpdir(), `synergy-flow-upstream-${ctx.timeperiod}.ready`));

@Step({ name: 'fetch' })
class Fetch {
  @Main() run(ctx: StepContext) {
    ctx.logger.info('fetched');
  }
}

@Step({ name: 'load' })
@DependsOn(Fetch)
class Load {
  @Main() run(ctx: StepContext) {
    if (!fs.existsSync(markerFile(ctx))) throw new Error(`upstream data is not delivered yet: ${markerFile(ctx)} does not exist`);
    ctx.logger.info('loaded');
  }
}

@Step({ name: 'report' })
@DependsOn(Load)
class Report {
  @Main() run(ctx: StepContext) {
    ctx.logger.info('reported');
  }
}

@Flow({ name: 'fail_then_recover', steps: [Fetch, Load, Report] })
export class FailThenRecoverFlow {}
