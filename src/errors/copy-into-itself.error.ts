import { SynergyFlowError } from './synergy-flow.error';

/**
 * cp or mv of a folder to itself or to a place inside it: the copy would grow while being made
 * (cp never ends) or the source would be deleted with its copy in it (mv loses everything), so it
 * is refused before anything is written.
 */
export class CopyIntoItselfError extends SynergyFlowError {
  static override readonly code: string = 'ERR_SYNERGY_COPY_INTO_ITSELF';

  constructor(
    readonly operation: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(
      `${operation}: cannot copy '${from}' to '${to}': the target is the source itself or inside it; choose a target outside '${from}'`,
    );
  }
}
