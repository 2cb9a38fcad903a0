import { DependsOn, Flow, Main, Step, type StepContext } from '../../src';

/**
 * A flow whose first step runs until the spec opens the gate (or the run is cancelled): it holds
 * the [flow, timeperiod] lock for exactly as long as a spec needs, no sleeps involved.
 */
export class Gate {
  private static open?: () => void;
  private static opened = Promise.resolve();

  static close(): void {
    Gate.opened = new Promise((resolve) => (Gate.open = resolve));
  }

  static release(): void {
    Gate.open?.();
  }

  static wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      void Gate.opened.then(resolve);
    });
  }
}

@Step({ name: 'hold' })
class Hold {
  @Main() async run(ctx: StepContext) {
    await Gate.wait(ctx.signal);
  }
}

@Step({ name: 'after' })
@DependsOn(Hold)
class After {
  @Main() run(ctx: StepContext) {
    ctx.logger.info('after the gate');
  }
}

@Flow({ name: 'gated', steps: [Hold, After] })
export class GatedFlow {}
