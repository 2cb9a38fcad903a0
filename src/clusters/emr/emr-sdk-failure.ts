import { ClusterError } from '../../errors';
import { isAwsThrottling, type AwsSdkError as SdkError } from '../../errors/aws-sdk-error';

/** Codes that mean the identity or its permissions are the problem. */
const AUTH_CODES: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'CredentialsProviderError',
]);

/** True when AWS refused the call because it was called too often (after the SDK's own retries). */
export const isThrottling = isAwsThrottling;

/** Socket-level failures: the request may have been processed, but no answer came back. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'TimeoutError', 'RequestTimeout']);

/** True when the call may or may not have taken effect in EMR: a server error (5xx) or no answer at all. */
export function isUnknownOutcome(err: unknown): boolean {
  const e = err as (SdkError & { code?: string }) | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return NETWORK_CODES.has(e?.code ?? '') || NETWORK_CODES.has(e?.name ?? '');
}

/** What to do about the failure, by its kind: throttling, permissions, or anything else. */
export function failureHint(err: unknown): string {
  const e = err as SdkError | undefined;
  if (isThrottling(err)) {
    return 'EMR throttled the requests (too many API calls in this account and region): raise maxAttempts, keep retryMode adaptive, raise pollIntervalMs or run fewer clusters at once';
  }
  if (AUTH_CODES.has(e?.name ?? '')) return 'check the credentials and the IAM permissions for EMR (docs/emr.md lists them)';
  return 'check the region, the endpoint and the EMR request it names';
}

/**
 * An AWS API call that failed after the SDK's own retries (throttling and transient errors are
 * retried there). The message names the SDK error (AccessDeniedException, ThrottlingException, ...)
 * and the hint fits its kind.
 */
export function sdkFailure(what: string, err: unknown, details: Record<string, unknown>): ClusterError {
  const e = err as SdkError;
  const attempts = e?.$metadata?.attempts;
  return new ClusterError(
    `${what}: ${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${attempts && attempts > 1 ? ` (after ${attempts} attempts)` : ''}; ${failureHint(err)}`,
    { ...details, code: e?.name, throttled: isThrottling(err) },
    { cause: err },
  );
}
