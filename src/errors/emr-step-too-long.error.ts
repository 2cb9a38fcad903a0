import { briefDisplay } from './brief-display';
import { ClusterError } from './cluster.error';

/**
 * An EMR step whose jar and arguments are longer than AddJobFlowSteps accepts (10,240 characters in
 * all): refused before it is submitted, so nothing reaches EMR.
 */
export class EmrStepTooLongError extends ClusterError {
  static override readonly code: string = 'ERR_SYNERGY_EMR_STEP_TOO_LONG';

  constructor(
    /** The step's text, its known secrets already masked (the message shows only its start). */
    readonly display: string,
    readonly cluster: string,
    readonly length: number,
    readonly limit: number,
  ) {
    super(
      `${briefDisplay(display)} on EMR cluster '${cluster}' was not submitted: its jar and arguments ` +
        `are ${length} characters long, and EMR accepts at most ${limit} in one step. Put the long part in a file ` +
        `(e.g. a script or a parameter file on S3) and pass its URI, or split the step`,
      { cluster, length, limit },
    );
  }
}
