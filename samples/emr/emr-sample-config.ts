import * as path from 'node:path';
import type { EmrClusterOptions } from '../../src';

/** What the EMR sample needs to know, all from environment variables (see docs/emr.md). */
export interface EmrSampleConfig {
  cluster: EmrClusterOptions;
  /** `s3://bucket/prefix`: the sample's code, input and output go under `<s3Base>/<timeperiod>/`. */
  s3Base: string;
  timeperiod: string;
  database: string;
  logDirectory: string;
  /** Where the results are copied back to on this machine. */
  resultsDirectory: string;
}

/** The sample's scripts and input, in the source tree (tsc does not copy them to dist/). */
export const ASSETS_DIRECTORY = path.resolve(__dirname, '../../../samples/emr/assets');

export class EmrSampleConfigError extends Error {}

export function readEmrSampleConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): EmrSampleConfig {
  const missing: string[] = [];
  const required = (name: string, fallback?: string): string => {
    const value = env[name] ?? fallback;
    if (!value) missing.push(name);
    return value ?? '';
  };
  const region = required('SYNERGY_EMR_REGION', env.AWS_REGION);
  const bucket = required('SYNERGY_S3_BUCKET');
  if (missing.length > 0) {
    throw new EmrSampleConfigError(
      `set ${missing.join(' and ')}: e.g. SYNERGY_EMR_REGION=us-east-1 SYNERGY_S3_BUCKET=my-bucket node dist/samples/emr/main.js ` +
        `(AWS credentials come from the SDK's default chain: AWS_PROFILE, environment, SSO, instance role)`,
    );
  }
  const prefix = (env.SYNERGY_S3_PREFIX ?? 'synergy-flow-sample').replace(/^\/+|\/+$/g, '');
  const number = (name: string): number | undefined => {
    if (env[name] === undefined) return undefined;
    const value = Number(env[name]);
    if (!Number.isInteger(value) || value < 1) throw new EmrSampleConfigError(`${name} must be a whole number >= 1, got '${env[name]}'`);
    return value;
  };
  const cluster: EmrClusterOptions = {
    type: 'emr',
    count: number('SYNERGY_EMR_COUNT') ?? 2,
    name: env.SYNERGY_EMR_NAME ?? 'synergy-flow-sample',
    region,
    releaseLabel: env.SYNERGY_EMR_RELEASE_LABEL,
    instanceType: env.SYNERGY_EMR_INSTANCE_TYPE,
    instanceCount: number('SYNERGY_EMR_INSTANCE_COUNT'),
    keepAliveOnFailure: /^(1|true|yes)$/i.test(env.SYNERGY_EMR_KEEP_ALIVE_ON_FAILURE ?? ''),
    logUri: env.SYNERGY_EMR_LOG_URI ?? `s3://${bucket}/${prefix}/emr-logs/`,
    ec2SubnetId: env.SYNERGY_EMR_SUBNET_ID,
    ec2KeyName: env.SYNERGY_EMR_KEY_NAME,
    pollIntervalMs: number('SYNERGY_EMR_POLL_INTERVAL_MS'),
    // For EMR- and S3-compatible endpoints (LocalStack, or the fakes the specs run this sample against).
    endpoint: env.SYNERGY_EMR_ENDPOINT,
    s3Endpoint: env.SYNERGY_S3_ENDPOINT,
  };
  return {
    cluster,
    s3Base: `s3://${bucket}/${prefix}`,
    timeperiod: argv[0] ?? env.SYNERGY_TIMEPERIOD ?? today(),
    database: env.SYNERGY_DATABASE ?? 'synergy-flow-emr.db',
    logDirectory: env.SYNERGY_LOG_DIRECTORY ?? 'logs',
    resultsDirectory: env.SYNERGY_RESULTS_DIRECTORY ?? 'emr-sample-results',
  };
}

/** Today's daily timeperiod (UTC), e.g. 2026112600. */
function today(): string {
  return `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}00`;
}
