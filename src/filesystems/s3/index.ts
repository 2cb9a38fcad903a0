// Loads the AWS SDK: import this module only where S3 is configured (see clusters/cluster-factory.ts).
export { S3Filesystem, type S3FilesystemTuning } from './s3-filesystem';
export { parseS3Uri, formatS3Uri, type S3Location } from './s3-uri';
export type { AwsCredentials, S3Settings } from './s3-client-config';
