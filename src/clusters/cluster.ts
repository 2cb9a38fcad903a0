import type { Filesystem } from '../filesystems/filesystem';
import type { Logger } from '../logging/logger';

/** Per-call execution scope: where output goes and what aborts the work. */
export interface CommandOptions {
  /** Receives the command's stdout (info) and stderr (warn) line by line. */
  logger?: Logger;
  /** Aborting it stops the command (a local process group is killed, an EMR step is cancelled). */
  signal?: AbortSignal;
  cwd?: string;
  env?: Record<string, string>;
}

/** What a command run on a cluster gave back. */
export interface CommandResult {
  exitCode: number;
  /** Captured stdout, capped at 1 MiB; when capped, it ends with a `[stdout cut: N more line(s) in the step log]` line. */
  stdout: string;
}

/** The options of `cluster.runSparkStep(uri, options)`. */
export interface SparkStepOptions {
  /** Arguments passed to the script after its URI. */
  args?: string[];
  /** `--conf key=value` pairs. */
  conf?: Record<string, string>;
  /** Any extra `spark-submit` options, e.g. ['--class', 'com.example.Main']. */
  submitArgs?: string[];
}

/** What terminate() did, for the run's log: only `terminated` ends a cluster that was running. */
export type TerminationOutcome = 'terminated' | 'kept-alive' | 'already-ended' | 'never-created';

/**
 * Where steps run: the local machine or one EMR cluster. The engine launches a pool of them per
 * flow run, gives each running step one, and always terminates them at the end.
 */
export interface Cluster {
  /** The pool slot's name: the local cluster's (`local-1`), or the EMR cluster's `Name` (`etl`, `etl-2`). */
  readonly name: string;
  /**
   * The id the cluster's service knows it by, for a step that calls that service itself (tags the
   * cluster, adds its own EMR step) or logs it: the EMR job flow id (`j-...`) once launch() found
   * or created the cluster, so always set while a step runs on EMR. The local cluster has none.
   */
  readonly clusterId?: string;
  readonly filesystem: Filesystem;
  /**
   * Set once the cluster is known to have ended on its own mid-run (an EMR cluster that terminated
   * under a step), with why: the engine stops giving it steps, and a step's retries go to another.
   */
  readonly endedBecause?: string;
  /**
   * Starts the cluster (or finds a running one to reuse); the engine calls it before the first step.
   * Aborting `signal` (the run was cancelled) stops the wait; what was created is left to terminate().
   */
  launch(signal?: AbortSignal): Promise<void>;
  /**
   * Always called when the flow run ends, whether launch succeeded, failed or was aborted;
   * `flowFailed` lets a cluster stay up for debugging if configured to. Resolves with what it did
   * (nothing means terminated), and rejects when the cluster may still be running.
   */
  terminate(outcome?: { flowFailed: boolean }): Promise<TerminationOutcome | void>;
  /** Runs a user-written command line through `/bin/sh -c` (the seed's behaviour): never pass data in it. */
  runShellCommand(command: string, options?: CommandOptions): Promise<CommandResult>;
  /** Runs a program with an argument array, no shell: the form for anything built from data. */
  runCommand(argv: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** Runs a Pig script with its parameters. */
  runPigStep(uri: string, params?: Record<string, string>, options?: CommandOptions): Promise<CommandResult>;
  /** Runs a Spark job (`spark-submit`) with its arguments and configuration. */
  runSparkStep(uri: string, sparkOptions?: SparkStepOptions, options?: CommandOptions): Promise<CommandResult>;
  /** Runs a Hadoop jar with its arguments. */
  runHadoopStep(jar: string, args?: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}
