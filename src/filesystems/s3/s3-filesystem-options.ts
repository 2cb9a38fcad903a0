import { z } from 'zod';
import type { AwsCredentials } from './s3-client-config';

/** How `new S3Filesystem(options)` reaches S3; `endpoint` and `credentials` go straight to the SDK client. */
export interface S3FilesystemOptions {
  region: string;
  /** An S3-compatible endpoint (MinIO, LocalStack, s3rver); usually with `forcePathStyle: true`. */
  endpoint?: string;
  /** Absent: the SDK's default provider chain (environment, profile, instance role). Never logged. */
  credentials?: AwsCredentials;
  forcePathStyle?: boolean;
  maxAttempts?: number;
  retryMode?: 'standard' | 'adaptive';
}

export const s3FilesystemOptionsSchema = z.strictObject({
  region: z
    .string({ error: 'required: the AWS region of the buckets, e.g. eu-west-1' })
    .min(1, 'the AWS region of the buckets, e.g. eu-west-1'),
  endpoint: z.url({ message: 'a URL such as http://127.0.0.1:9000' }).optional(),
  credentials: z
    .strictObject({
      accessKeyId: z.string().min(1),
      secretAccessKey: z.string().min(1),
      sessionToken: z.string().min(1).optional(),
    })
    .optional(),
  forcePathStyle: z.boolean().optional(),
  maxAttempts: z.number().int().min(1).optional(),
  retryMode: z.enum(['standard', 'adaptive']).optional(),
}) satisfies z.ZodType<S3FilesystemOptions>;
