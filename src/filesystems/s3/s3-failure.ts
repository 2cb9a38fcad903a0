import { ClusterError } from '../../errors';
import { isAwsThrottling, type AwsSdkError } from '../../errors/aws-sdk-error';

const AUTH_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
]);

/** HEAD answers have no body, so the SDK can only say `Unknown`/`NotFound`-less names: the HTTP status is what is known. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  403: 'AccessDenied',
  429: 'SlowDown',
  500: 'InternalError',
  503: 'SlowDown',
};

/** The S3 error's code, from its name, or from its HTTP status when S3 sent no body (HEAD). */
function errorCode(e: AwsSdkError): string {
  const status = e.$metadata?.httpStatusCode;
  const named = e.name && e.name !== 'Unknown' && e.name !== 'UnknownError' && e.name !== 'Error';
  if (named) return e.name!;
  return (status !== undefined && STATUS_NAMES[status]) || e.code || e.name || 'Error';
}

function hint(code: string, throttled: boolean): string {
  if (throttled) {
    return 'S3 throttled the requests (too many on this prefix): raise maxAttempts, keep retryMode adaptive, or lower the filesystem concurrency';
  }
  if (AUTH_CODES.has(code)) return 'check the credentials and the IAM permissions for S3 on this bucket (docs/emr.md lists them)';
  return 'check the bucket, the key, the region and the endpoint';
}

/**
 * An S3 call that failed after the SDK's own retries, as a ClusterError that names the S3 error
 * (from the HTTP status when the answer had no body, as HEAD answers have), says whether it was
 * throttling (`details.throttled`), and what to do for its kind: the contract docs/emr.md gives
 * for every EMR and S3 call.
 */
export function s3Failure(operation: string, what: string, err: unknown): ClusterError {
  const e = (err ?? {}) as AwsSdkError;
  const code = errorCode(e);
  const status = e.$metadata?.httpStatusCode;
  // S3 answers "slow down" with a 503, with or without a body (a HEAD's has none).
  const throttled = isAwsThrottling({ ...e, name: code }) || status === 503;
  const attempts = e.$metadata?.attempts;
  const message = e.message && e.message !== 'UnknownError' ? e.message : `HTTP ${status ?? 'error'}`;
  return new ClusterError(
    `S3 ${operation} ${what} failed: ${code}: ${message}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}; ${hint(code, throttled)}`,
    { operation, uri: what, code, status, throttled },
    { cause: err },
  );
}
