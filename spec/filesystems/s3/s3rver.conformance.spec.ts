import { S3RVER_CREDENTIALS, startS3rver, type S3rverServer } from '../../support/s3rver-server';
import { describeFilesystemConformance } from '../filesystem.conformance';
import { s3ConformanceBackend } from './s3-conformance-backend';

/** The same cases against s3rver, an S3 server this project did not write: the fake endpoint's reading of S3 is checked too. */
describe('filesystems/S3Filesystem conformance on s3rver (real SDK client)', () => {
  let server: S3rverServer;
  let s3: ReturnType<typeof s3ConformanceBackend>;
  before(async function () {
    this.timeout(60_000);
    server = await startS3rver(['data']);
    s3 = s3ConformanceBackend({ region: 'us-east-1', endpoint: server.url, forcePathStyle: true, credentials: S3RVER_CREDENTIALS }, 'data');
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  describeFilesystemConformance('S3Filesystem (s3rver)', () => s3.backend());
});
