import * as fs from 'node:fs';
import { DependsOn, Flow, Main, Step, type StepContext } from '../../src';

/**
 * A flow for runs in another process: its first step waits until the file named by the setting
 * `gateFile` exists (the spec creates it), so the spec sees the run in progress for as long as it
 * needs, without sleeps deciding what it sees.
 */
@Step({ name: 'hold' })
class HoldForFile {
  @Main() async run(ctx: StepContext) {
    const gate = String(ctx.settings.gateFile);
    while (!fs.existsSync(gate)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

@Step({ name: 'after' })
@DependsOn(HoldForFile)
class AfterTheFile {
  @Main() run(ctx: StepContext) {
    ctx.logger.info('after the gate');
  }
}

@Flow({ name: 'file_gated', steps: [HoldForFile, AfterTheFile] })
export class FileGatedFlow {}
