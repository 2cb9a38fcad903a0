import * as path from 'node:path';
import { DependsOn, Flow, Main, MkdirAction, Post, Pre, Step, type StepContext } from '../../src';
import { ASSETS_DIRECTORY } from './emr-sample-config';

/** The settings main.ts passes to bootstrap(), as every step reads them. */
export interface WordCountSettings {
  s3Base: string;
  resultsDirectory: string;
}

const settings = (ctx: StepContext) => ctx.settings as unknown as WordCountSettings;
/** Everything of one run lives under its timeperiod, so runs never overwrite each other. */
const runUri = (ctx: StepContext, sub: string) => `${settings(ctx).s3Base}/${ctx.timeperiod}/${sub}`;

/** Puts the Spark and Pig scripts and the input text on S3 (the EMR cluster's filesystem). */
@Step({ name: 'stage' })
@Pre(MkdirAction, (ctx: StepContext) => ({ uri: runUri(ctx, '') }))
class Stage {
  @Main() async upload(ctx: StepContext) {
    await ctx.cluster.filesystem.copyFromLocal(path.join(ASSETS_DIRECTORY, 'code'), runUri(ctx, 'code'));
    await ctx.cluster.filesystem.copyFromLocal(path.join(ASSETS_DIRECTORY, 'input'), runUri(ctx, 'input'));
  }
}

/** A command step, on the other cluster while Spark runs: lists what was staged. */
@Step({ name: 'list_input', timeoutMs: 30 * 60_000 })
@DependsOn(Stage)
class ListInput {
  @Main() async list(ctx: StepContext) {
    await ctx.cluster.runCommand(['aws', 's3', 'ls', '--recursive', runUri(ctx, 'input/')]);
  }
}

/** Counts words with Spark (spark-submit --deploy-mode cluster). */
@Step({ name: 'spark_word_count', retries: 1, timeoutMs: 60 * 60_000 })
@DependsOn(Stage)
class SparkWordCount {
  @Main() async count(ctx: StepContext) {
    await ctx.cluster.runSparkStep(runUri(ctx, 'code/word_count.py'), {
      args: [runUri(ctx, 'input/'), runUri(ctx, 'counts/')],
      conf: { 'spark.sql.shuffle.partitions': '8' },
    });
  }
}

/** Keeps the 20 most frequent words with Pig, which refuses to overwrite: the old output goes first. */
@Step({ name: 'pig_top_words', timeoutMs: 60 * 60_000 })
@DependsOn(SparkWordCount)
class PigTopWords {
  @Pre() async clearOutput(ctx: StepContext) {
    await ctx.cluster.filesystem.rmdir(runUri(ctx, 'top'));
  }

  @Main() async top(ctx: StepContext) {
    await ctx.cluster.runPigStep(runUri(ctx, 'code/top_words.pig'), { INPUT: runUri(ctx, 'counts'), OUTPUT: runUri(ctx, 'top') });
  }
}

/** Copies the result back to this machine. */
@Step({ name: 'fetch_results' })
@DependsOn(PigTopWords, ListInput)
class FetchResults {
  @Main() async fetch(ctx: StepContext) {
    const target = path.resolve(settings(ctx).resultsDirectory, ctx.timeperiod);
    await ctx.cluster.filesystem.copyToLocal(runUri(ctx, 'top'), target);
    ctx.logger.info(`top words copied to ${target}`);
  }

  @Post() async check(ctx: StepContext) {
    if (!(await ctx.cluster.filesystem.exists(runUri(ctx, 'top/_SUCCESS')))) ctx.logger.warn('Pig wrote no _SUCCESS marker');
  }
}

/** stage -> (list_input, spark_word_count -> pig_top_words) -> fetch_results, on two EMR clusters. */
@Flow({ name: 'emr_word_count', steps: [Stage, ListInput, SparkWordCount, PigTopWords, FetchResults] })
export class EmrWordCountFlow {}
