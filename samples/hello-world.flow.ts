import { DependsOn, Flow, Main, Step, type StepContext } from '../src';

@Step({ name: 'hello' })
class Hello {
  @Main() greet(ctx: StepContext) {
    ctx.logger.info(`hello, timeperiod ${ctx.timeperiod}`);
  }
}

@Step({ name: 'world' })
@DependsOn(Hello)
class World {
  @Main() async greet(ctx: StepContext) {
    await ctx.cluster.runCommand(['echo', `world of ${ctx.timeperiod}`]);
  }
}

/** The smallest flow: two steps, one after the other. */
@Flow({ name: 'hello_world', steps: [Hello, World] })
export class HelloWorldFlow {}
