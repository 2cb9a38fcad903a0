import type { Cluster, CommandOptions, CommandResult, SparkStepOptions, TerminationOutcome } from './cluster';
import { NonRetryableError } from '../errors/non-retryable.error';
import { maskCommandWords } from '../logging/command-credential-mask';

/**
 * The view of a cluster one step execution gets as `ctx.cluster`: every command it runs logs to
 * the step's log and stops when the step is aborted, without the action having to pass either.
 * Each command is logged (`running: <argv>`) before it runs, so one that prints nothing still
 * leaves its trace; the step's logger redacts every known secret in it, and the line shows the
 * credentials its words visibly hold as `***` (see maskCommandWords). The cluster is the run's,
 * shared by its steps: a step cannot terminate it (see terminate()).
 */
export class BoundCluster implements Cluster {
  constructor(
    private readonly cluster: Cluster,
    private readonly scope: Required<Pick<CommandOptions, 'logger' | 'signal'>>,
  ) {}

  get name(): string {
    return this.cluster.name;
  }

  /** Read-only, as the rest of this view: a step sees which cluster it runs on, and cannot point the engine at another. */
  get clusterId(): string | undefined {
    return this.cluster.clusterId;
  }

  get filesystem() {
    return this.cluster.filesystem;
  }

  get endedBecause(): string | undefined {
    return this.cluster.endedBecause;
  }

  launch(signal?: AbortSignal): Promise<void> {
    return this.cluster.launch(signal);
  }

  /**
   * Refused: the run's steps share this cluster, and the engine terminates it when the run ends.
   * A step that ended it would fail the steps running beside it and every later one. Not retried:
   * the step's code must change.
   */
  terminate(): Promise<TerminationOutcome | void> {
    return Promise.reject(
      new NonRetryableError(
        `a step cannot terminate the cluster it runs on (${this.describe()}): the run's steps share it, and the engine ` +
          "terminates it when the run ends (keepAliveOnFailure keeps a failed run's EMR clusters). " +
          'Remove the terminate() call from the step.',
      ),
    );
  }

  runShellCommand(command: string, options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runShellCommand(command, this.announced(options, ['/bin/sh', '-c', command]));
  }

  runCommand(argv: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runCommand(argv, this.announced(options, argv));
  }

  runPigStep(uri: string, params: Record<string, string> = {}, options?: CommandOptions): Promise<CommandResult> {
    const paramArgs = Object.entries(params).flatMap(([key, value]) => ['-param', `${key}=${value}`]);
    return this.cluster.runPigStep(uri, params, this.announced(options, ['pig', ...paramArgs, '-f', uri]));
  }

  runSparkStep(uri: string, spark: SparkStepOptions = {}, options?: CommandOptions): Promise<CommandResult> {
    const conf = Object.entries(spark.conf ?? {}).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
    const argv = ['spark-submit', ...conf, ...(spark.submitArgs ?? []), uri, ...(spark.args ?? [])];
    return this.cluster.runSparkStep(uri, spark, this.announced(options, argv));
  }

  runHadoopStep(jar: string, args: readonly string[] = [], options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runHadoopStep(jar, args, this.announced(options, ['hadoop', 'jar', jar, ...args]));
  }

  private describe(): string {
    const id = this.cluster.clusterId;
    return id ? `${this.cluster.name}, ${id}` : this.cluster.name;
  }

  /** The call's options over the step's, once the command is in the log. */
  private announced(options: CommandOptions = {}, argv: readonly string[]): CommandOptions {
    const merged = { ...this.scope, ...options };
    // An action's view wraps its step's: the innermost logs it once, with the logger passed down.
    if (!(this.cluster instanceof BoundCluster)) merged.logger.info(`running: ${maskCommandWords(argv).map(quoteArgument).join(' ')}`);
    return merged;
  }
}

/** An argument as a shell user would type it: bare when it is plain, else in single quotes. */
function quoteArgument(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
