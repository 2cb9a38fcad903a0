import * as path from 'node:path';
import { DependsOn, Flow, Main, MkdirAction, Post, Pre, RmdirAction, ShellCommandAction, Step, type StepContext } from '../src';

/**
 * Where the sample writes: a directory per timeperiod under `ctx.settings.dataDirectory`, by default
 * `sample-data/` in the current directory, beside synergy-flow.db and logs/. Not a fixed folder of
 * the OS temp dir: that one would outlive every run, shared by everyone on the machine.
 */
const workDir = (ctx: StepContext) => path.resolve(String(ctx.settings.dataDirectory ?? 'sample-data'), ctx.timeperiod);

@Step({ name: 'extract' })
@Pre(MkdirAction, (ctx: StepContext) => ({ uri: workDir(ctx) }))
class Extract {
  @Main() async run(ctx: StepContext) {
    await ctx.cluster.filesystem.mkdir(path.join(workDir(ctx), 'raw'));
    await ctx.cluster.runCommand(['sh', '-c', 'seq 1 100 > "$1"', 'extract', path.join(workDir(ctx), 'raw', 'numbers.txt')]);
  }

  @Post() verify(ctx: StepContext) {
    ctx.logger.info('extracted 100 numbers');
  }
}

@Step({ name: 'clean' })
@DependsOn(Extract)
class Clean {
  @Main() async run(ctx: StepContext) {
    const dir = workDir(ctx);
    await ctx.cluster.runCommand([
      'sh',
      '-c',
      'grep -v 13 "$1" > "$2"',
      'clean',
      path.join(dir, 'raw', 'numbers.txt'),
      path.join(dir, 'clean.txt'),
    ]);
  }
}

@Step({ name: 'sum' })
@DependsOn(Clean)
class Sum {
  @Main() async run(ctx: StepContext) {
    const result = await ctx.cluster.runCommand(['awk', '{ s += $1 } END { print s }', path.join(workDir(ctx), 'clean.txt')]);
    ctx.logger.info(`sum = ${result.stdout.trim()}`);
  }
}

@Step({ name: 'count' })
@DependsOn(Clean)
@Main(ShellCommandAction, (ctx: StepContext) => ({ argv: ['wc', '-l', path.join(workDir(ctx), 'clean.txt')] }))
class Count {}

@Step({ name: 'publish' })
@DependsOn(Sum, Count)
@Post(RmdirAction, (ctx: StepContext) => ({ uri: path.join(workDir(ctx), 'raw') }))
class Publish {
  @Pre() check(ctx: StepContext) {
    ctx.logger.info('sum and count are ready');
  }

  @Main() async run(ctx: StepContext) {
    await ctx.cluster.filesystem.cp(path.join(workDir(ctx), 'clean.txt'), path.join(workDir(ctx), 'published', 'clean.txt'));
  }
}

/** A diamond: extract -> clean -> (sum, count) -> publish, with pre/post actions and commands. */
@Flow({ name: 'etl_diamond', steps: [Extract, Clean, Sum, Count, Publish] })
export class EtlDiamondFlow {}
