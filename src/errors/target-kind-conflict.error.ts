import { SynergyFlowError } from './synergy-flow.error';

/**
 * A copy would put a file where a folder is, or a folder where a file is. Refused before anything
 * is written: on a local disk the operation fails half-way, on S3 a key and a prefix of the same
 * name would both exist and every later reader would see one or the other.
 */
export class TargetKindConflictError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_TARGET_KIND_CONFLICT';

  constructor(
    readonly operation: string,
    readonly target: string,
    readonly existing: 'file' | 'directory',
  ) {
    super(
      existing === 'directory'
        ? `${operation}: '${target}' is a folder, so a file cannot be written there; to copy into the folder, end the target with '/'`
        : `${operation}: '${target}' is a file, so a folder cannot be written there; remove it first or choose another target`,
    );
  }
}
