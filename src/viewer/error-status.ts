import {
  FlowLockedError,
  FlowRunNotFoundError,
  InvalidTimeperiodError,
  StepBlockedError,
  UnknownFlowError,
  UnknownStepError,
} from '../errors';
import { FlowNotRunningError } from './flow-not-running.error';
import { ForbiddenHostError } from './forbidden-host.error';
import { InvalidRequestError } from './invalid-request.error';
import { UnauthorizedError } from './unauthorized.error';

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  /** The error class name (`FlowLockedError`), so clients branch on it rather than on the text. */
  error: string;
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
  [FlowLockedError, 409],
  [StepBlockedError, 409],
  [FlowNotRunningError, 409],
];

/**
 * Turns anything a route threw into a status and a JSON body. Our own errors carry messages written
 * for users; framework errors (bad JSON, wrong content type) keep their 4xx status; anything else is
 * a 500 whose text stays in the server, since it may quote internals.
 */
export function errorResponse(err: unknown): ErrorBody {
  if (err instanceof Error) {
    for (const [type, statusCode] of STATUS_BY_CLASS) {
      if (err instanceof type) return { statusCode, error: err.name, message: err.message };
    }
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return { statusCode, error: (err as { code?: string }).code ?? err.name, message: err.message };
    }
  }
  return { statusCode: 500, error: 'InternalServerError', message: 'the viewer failed to answer this request; see the server output' };
}
