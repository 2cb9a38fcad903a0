import type { EMRClientConfig } from '@aws-sdk/client-emr';
import type { AwsCredentials } from '../../filesystems/s3/s3-client-config';
import type { EmrSettings } from './emr-settings';

/**
 * The EMR client's configuration. Throttling and transient errors are the SDK retry strategy's
 * job (maxAttempts, retryMode); credentials absent means the SDK's default provider chain.
 */
export function buildEmrClientConfig(settings: EmrSettings, credentials?: AwsCredentials): EMRClientConfig {
  return {
    region: settings.region,
    endpoint: settings.endpoint,
    credentials,
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
  };
}
