import { SynergyFlowError } from './synergy-flow.error';

/**
 * A filesystem operation needs something at a URI and there is nothing: no file, no folder (on
 * S3: no object with that key and no object under that prefix). Nothing was written.
 */
export class PathNotFoundError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_PATH_NOT_FOUND';

  constructor(
    readonly operation: string,
    readonly uri: string,
  ) {
    super(`${operation}: nothing at '${uri}' (no file and no folder there); check the URI, or create it first`);
  }
}
