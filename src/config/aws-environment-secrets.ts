/** The variables of the AWS SDK's default credential chain that hold a credential. */
const AWS_CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/**
 * The AWS credentials of the environment, as secrets to redact. With no `credentials` in the
 * options the SDK takes them from there (its default chain), and an endpoint that echoes a request
 * echoes them: they are as secret as configured ones. The access key id is counted too, as it is
 * when configured (it names the account's key in every request, and half a credential pair is
 * still worth hiding from a log).
 */
export function awsEnvironmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return AWS_CREDENTIAL_VARIABLES.map((name) => env[name] ?? '').filter((value) => value.length > 0);
}
