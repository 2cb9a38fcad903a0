import type { Cluster, CommandOptions, CommandResult, SparkStepOptions } from './cluster';
import { LocalFilesystem } from '../filesystems/local-filesystem';
import { runProcess } from './process-runner';
import { maskCommandWords } from '../logging/command-credential-mask';

/** Runs steps on the machine the engine runs on, as child processes. */
export class LocalCluster implements Cluster {
  readonly filesystem = new LocalFilesystem();

  constructor(
    readonly name: string,
    private readonly defaults: { cwd?: string } = {},
  ) {}

  /** Nothing to start or wait for, so nothing for a cancel to interrupt. */
  async launch(): Promise<void> {}

  async terminate(): Promise<void> {}

  runShellCommand(command: string, options: CommandOptions = {}): Promise<CommandResult> {
    return runProcess('/bin/sh', ['-c', command], this.scope(options, `shell command '${maskCommandWords([command])[0]}'`));
  }

  runCommand(argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    const [file, ...args] = argv;
    if (!file) throw new TypeError('runCommand needs a program: argv must not be empty');
    return runProcess(file, args, this.scope(options, `'${maskCommandWords(argv).join(' ')}'`));
  }

  runPigStep(uri: string, params: Record<string, string> = {}, options?: CommandOptions): Promise<CommandResult> {
    const paramArgs = Object.entries(params).flatMap(([key, value]) => ['-param', `${key}=${value}`]);
    return this.runCommand(['pig', '-x', 'local', ...paramArgs, '-f', uri], options);
  }

  runSparkStep(uri: string, spark: SparkStepOptions = {}, options?: CommandOptions): Promise<CommandResult> {
    const conf = Object.entries(spark.conf ?? {}).flatMap(([key, value]) => ['--conf', `${key}=${value}`]);
    return this.runCommand(
      ['spark-submit', '--master', 'local[*]', ...conf, ...(spark.submitArgs ?? []), uri, ...(spark.args ?? [])],
      options,
    );
  }

  runHadoopStep(jar: string, args: readonly string[] = [], options?: CommandOptions): Promise<CommandResult> {
    return this.runCommand(['hadoop', 'jar', jar, ...args], options);
  }

  private scope(options: CommandOptions, display: string) {
    return { ...options, cwd: options.cwd ?? this.defaults.cwd, clusterName: this.name, display };
  }
}
