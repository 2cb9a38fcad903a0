import {
  FlowLockedError,
  FlowRunNotFoundError,
  RunIdNotFoundError,
  InvalidTimeperiodError,
  StepBlockedError,
  UnknownFlowError,
  UnknownStepError,
  type SynergyFlowError,
  FlowNotRunningError,
  UnscheduledFlowError,
  ForbiddenHostError,
  InvalidRequestError,
  UnauthorizedError,
  ViewerBusyError,
} from '../errors';

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  /** The error class name (`FlowLockedError`), so clients branch on it rather than on the text. */
  error: string;
  /** A stable code (`ERR_SYNERGY_FLOW_LOCKED`); the framework's own (`FST_ERR_CTP_INVALID_MEDIA_TYPE`) for its 4xx; absent on a 500. */
  code?: string;
  message: string;
}

const STATUS_BY_CLASS: ReadonlyArray<[abstract new (...args: never[]) => Error, number]> = [
  [InvalidTimeperiodError, 400],
  [InvalidRequestError, 400],
  [UnauthorizedError, 401],
  [ForbiddenHostError, 403],
  [UnknownFlowError, 404],
  [UnknownStepError, 404],
  [FlowRunNotFoundError, 404],
  [RunIdNotFoundError, 404],
  [UnscheduledFlowError, 404],
  [FlowLockedError, 409],
  [StepBlockedError, 409],
  [FlowNotRunningError, 409],
  [ViewerBusyError, 503],
];

/**
 * Turns anything a route threw into a status and a JSON body. Our own errors carry messages written
 * for users; framework errors (bad JSON, wrong content type) keep their 4xx status; anything else is
 * a 500 whose text stays in the server, since it may quote internals.
 */
export function errorResponse(err: unknown): ErrorBody {
  if (err instanceof Error) {
    for (const [type, statusCode] of STATUS_BY_CLASS) {
      if (err instanceof type) return { statusCode, error: err.name, code: (err as SynergyFlowError).code, message: err.message };
    }
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      const code = (err as { code?: unknown }).code;
      return {
        statusCode,
        error: typeof code === 'string' ? code : err.name,
        ...(typeof code === 'string' && { code }),
        message: err.message,
      };
    }
  }
  return { statusCode: 500, error: 'InternalServerError', message: 'the viewer failed to answer this request; see the server output' };
}
