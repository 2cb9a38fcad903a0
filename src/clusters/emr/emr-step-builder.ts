import type { StepConfig } from '@aws-sdk/client-emr';
import type { SparkStepOptions } from '../cluster';
import { fitEmrName } from './emr-name-fit';

/** EMR's launcher that runs any program installed on the primary node with an argument array. */
export const COMMAND_RUNNER_JAR = 'command-runner.jar';

/** AddJobFlowSteps: "the string values passed into HadoopJarStep cannot exceed a total of 10240 characters". */
export const STEP_ARGUMENTS_MAX = 10_240;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where the program runs on the node; EMR steps have neither, so they are set by wrapping the argv. */
export interface StepScope {
  cwd?: string;
  env?: Record<string, string>;
}

export function sparkSubmitArgs(uri: string, spark: SparkStepOptions = {}): string[] {
  const conf = Object.entries(spark.conf ?? {}).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
  return ['spark-submit', '--deploy-mode', 'cluster', ...conf, ...(spark.submitArgs ?? []), uri, ...(spark.args ?? [])];
}

export function pigScriptArgs(uri: string, params: Record<string, string> = {}): string[] {
  const paramArgs = Object.entries(params).flatMap(([key, value]) => ['-p', `${key}=${value}`]);
  return ['pig-script', '--run-pig-script', '--args', '-f', uri, ...paramArgs];
}

/** A user-written command line, run by bash on the primary node (the seed's behaviour). */
export function shellCommandArgs(command: string): string[] {
  return ['bash', '-c', command];
}

/**
 * Applies cwd and env without a shell string built from data: `env K=V argv...` sets the
 * environment, and a fixed bash script `cd -- "$0" && exec "$@"` receives the directory and the
 * argv as separate arguments.
 */
export function withStepScope(argv: readonly string[], scope: StepScope = {}): string[] {
  if (argv.length === 0) throw new TypeError('an EMR command step needs a program: argv must not be empty');
  let args = [...argv];
  const env = Object.entries(scope.env ?? {});
  if (env.length > 0) {
    const bad = env.find(([key]) => !ENV_NAME.test(key));
    if (bad) throw new TypeError(`environment variable name ${JSON.stringify(bad[0])} is not valid: use letters, digits and '_'`);
    args = ['env', ...env.map(([key, value]) => `${key}=${value}`), ...args];
  }
  if (scope.cwd !== undefined) args = ['bash', '-c', 'cd -- "$0" && exec "$@"', scope.cwd, ...args];
  return args;
}

/**
 * One step. ActionOnFailure CONTINUE: a failed step must leave the cluster up, because the engine
 * decides what happens next (other branches, recovery) and terminates the cluster itself.
 */
export function buildStepConfig(name: string, jar: string, args: readonly string[]): StepConfig {
  return {
    Name: fitEmrName(name),
    ActionOnFailure: 'CONTINUE',
    HadoopJarStep: { Jar: jar, Args: [...args] },
  };
}

/** The length EMR counts against STEP_ARGUMENTS_MAX: every string of the HadoopJarStep. */
export function stepArgumentsLength(jar: string, args: readonly string[]): number {
  return args.reduce((total, arg) => total + arg.length, jar.length);
}
