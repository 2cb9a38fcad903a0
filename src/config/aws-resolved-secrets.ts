/**
 * The fields of an AWS identity that are secrets. The access key id is one, as it is when it comes
 * from the environment or the options (see awsEnvironmentSecrets).
 */
const AWS_IDENTITY_SECRET_FIELDS = ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const;

/** An AWS SDK v3 client, as far as its resolved credential provider goes (read by its signer on every request). */
export interface AwsCredentialsClient {
  config: { credentials?: unknown };
}

type IdentityProvider = (...args: unknown[]) => Promise<unknown>;

/**
 * The secrets of the AWS identities that SDK clients outside any application (an `S3Filesystem` or
 * an `EmrCluster` a user's script builds, no credentials in its options) resolved from the default
 * chain in this process, in the order learnt, each once. Such a client has no redactor to tell, and
 * the application the script bootstraps before or after it must still mask those keys: every
 * application's redactor reads this set (see awsSecretsLearntSince). It grows by one identity per
 * resolution or refresh, not per request.
 */
const learntInProcess: string[] = [];
const learntOnce = new Set<string>();

/** Records secrets for every application of the process: the `learn` of a client that belongs to none. */
export function learnAwsSecretsProcessWide(secrets: readonly string[]): void {
  for (const secret of secrets)
    if (!learntOnce.has(secret)) {
      learntOnce.add(secret);
      learntInProcess.push(secret);
    }
}

/** Asked at every redaction: nothing new is the answer nearly always, and it allocates nothing. */
const NOTHING_NEW: readonly string[] = Object.freeze([]);

/** The AWS secrets learnt in this process after the first `count` (0: all of them). */
export function awsSecretsLearntSince(count: number): readonly string[] {
  return count >= learntInProcess.length ? NOTHING_NEW : learntInProcess.slice(count);
}

/**
 * Makes the credentials an SDK client resolves by itself known secrets: with no credentials in the
 * options the SDK takes them from its default chain (a shared credentials file, SSO, process
 * credentials, container or instance metadata), which the application's redactor could not know.
 * The client's provider is wrapped, and the signer reads it before every request, so each identity
 * it resolves (a refreshed one too) is told to `learn` before a request carries it, and so before
 * an answer could echo it. A failure to resolve is the caller's to see, as before: nothing is
 * caught here.
 */
export function learnResolvedCredentials(client: AwsCredentialsClient, learn: (secrets: string[]) => void): void {
  const resolve = client.config.credentials;
  if (typeof resolve !== 'function') return;
  // The SDK memoizes its identity: the same object comes back until it is refreshed, learnt once.
  const learnt = new WeakSet<object>();
  const provider: IdentityProvider = async (...args) => {
    const identity = await (resolve as IdentityProvider).apply(client.config, args);
    if (identity && typeof identity === 'object' && !learnt.has(identity)) {
      learnt.add(identity);
      learn(identitySecrets(identity as Record<string, unknown>));
    }
    return identity;
  };
  client.config.credentials = provider;
}

/**
 * Resolves a client's credentials now, through the provider learnResolvedCredentials wrapped, so
 * that they are known secrets from the start (a step's own code may use the same chain). A failure
 * is left to the client's first request, which reports it as it always did.
 */
export function resolveCredentialsEarly(client: AwsCredentialsClient): void {
  const resolve = client.config.credentials;
  if (typeof resolve === 'function') (resolve as IdentityProvider).call(client.config).catch(() => undefined);
}

function identitySecrets(identity: Record<string, unknown>): string[] {
  return AWS_IDENTITY_SECRET_FIELDS.map((field) => identity[field]).filter(
    (value): value is string => typeof value === 'string' && value !== '',
  );
}
