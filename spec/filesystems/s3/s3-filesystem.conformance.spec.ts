import { FakeS3Endpoint } from '../../support/fake-s3-endpoint';
import { describeFilesystemConformance } from '../filesystem.conformance';
import { s3ConformanceBackend } from './s3-conformance-backend';

describe('filesystems/S3Filesystem conformance on the fake S3 endpoint (real SDK client)', () => {
  let fake: FakeS3Endpoint;
  let s3: ReturnType<typeof s3ConformanceBackend>;
  before(async () => {
    fake = await FakeS3Endpoint.start(['data']);
    s3 = s3ConformanceBackend(
      {
        region: 'us-east-1',
        endpoint: fake.url,
        forcePathStyle: true,
        credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret' },
      },
      'data',
      (key, content) => fake.buckets.get('data')!.set(key, Buffer.from(content)),
    );
  });
  after(async () => {
    s3.destroy();
    await fake.close();
  });

  describeFilesystemConformance('S3Filesystem (fake endpoint)', () => s3.backend());
});
