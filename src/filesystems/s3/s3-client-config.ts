import type { S3ClientConfig } from '@aws-sdk/client-s3';

/** Static AWS credentials as users pass them in options. Never logged, never persisted. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3Settings {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

/** The S3 client's configuration; credentials absent means the SDK's default provider chain. */
export function buildS3ClientConfig(settings: S3Settings, credentials?: AwsCredentials): S3ClientConfig {
  return {
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
  };
}
