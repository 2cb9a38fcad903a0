/** What an AWS SDK v3 error looks like, as far as the engine's EMR and S3 messages need. */
export interface AwsSdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { attempts?: number; httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

/** Error codes AWS uses for "slow down"; the SDK marks most of them `$retryable.throttling` too. */
const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** True when AWS refused the call because it was called too often (after the SDK's own retries). */
export function isAwsThrottling(err: unknown): boolean {
  const e = err as AwsSdkError | undefined;
  return !!e && (e.$retryable?.throttling === true || THROTTLING_CODES.has(e.name ?? '') || e.$metadata?.httpStatusCode === 429);
}
