export { S3Filesystem, type S3FilesystemTuning } from './s3-filesystem';
export type { S3FilesystemOptions } from './s3-filesystem-options';
export { parseS3Uri, formatS3Uri, type S3Location } from './s3-uri';
export type { AwsCredentials, S3Settings } from './s3-client-config';
