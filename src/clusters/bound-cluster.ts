import type { Cluster, CommandOptions, CommandResult, SparkStepOptions } from './cluster';

/**
 * The view of a cluster one step execution gets as `ctx.cluster`: every command it runs logs to
 * the step's log and stops when the step is aborted, without the action having to pass either.
 */
export class BoundCluster implements Cluster {
  constructor(
    private readonly cluster: Cluster,
    private readonly scope: Required<Pick<CommandOptions, 'logger' | 'signal'>>,
  ) {}

  get name(): string {
    return this.cluster.name;
  }

  get filesystem() {
    return this.cluster.filesystem;
  }

  launch(): Promise<void> {
    return this.cluster.launch();
  }

  terminate(outcome?: { flowFailed: boolean }): Promise<void> {
    return this.cluster.terminate(outcome);
  }

  runShellCommand(command: string, options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runShellCommand(command, this.with(options));
  }

  runCommand(argv: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runCommand(argv, this.with(options));
  }

  runPigStep(uri: string, params?: Record<string, string>, options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runPigStep(uri, params, this.with(options));
  }

  runSparkStep(uri: string, spark?: SparkStepOptions, options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runSparkStep(uri, spark, this.with(options));
  }

  runHadoopStep(jar: string, args?: readonly string[], options?: CommandOptions): Promise<CommandResult> {
    return this.cluster.runHadoopStep(jar, args, this.with(options));
  }

  private with(options: CommandOptions = {}): CommandOptions {
    return { ...this.scope, ...options };
  }
}
