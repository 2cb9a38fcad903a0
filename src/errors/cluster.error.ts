import { SynergyFlowError } from './synergy-flow.error';

/** What a {@link ClusterError} knows of the failure, for a program: the cluster, the exit code, the end of stderr... */
export interface ClusterErrorDetails {
  cluster?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** The last lines the command wrote to stderr: usually the actual reason. */
  stderrTail?: string;
  [key: string]: unknown;
}

/** A cluster could not launch, or a command/step it ran failed. */
export class ClusterError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_CLUSTER';

  constructor(
    message: string,
    readonly details: ClusterErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
