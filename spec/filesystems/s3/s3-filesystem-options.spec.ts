import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import { ConfigurationError, S3Filesystem } from '../../../src';
import { FakeS3Endpoint } from '../../support/fake-s3-endpoint';

describe('filesystems/S3Filesystem from options (without EMR)', () => {
  it('is exported by the package and works from { region, endpoint, credentials, forcePathStyle }', async () => {
    const fake = await FakeS3Endpoint.start(['data']);
    const filesystem = new S3Filesystem({
      region: 'us-east-1',
      endpoint: fake.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAOPTIONS', secretAccessKey: 'options-secret' },
    });
    try {
      await filesystem.mkdir('s3://data/out');
      expect(await filesystem.stat('s3://data/out')).to.deep.equal({ type: 'directory' });
      expect(fake.keys('data')).to.deep.equal(['out/']);
    } finally {
      filesystem.destroy();
      await fake.close();
    }
  });

  it('refuses wrong options with one ConfigurationError naming each, never echoing the credentials', () => {
    const err = (() => {
      try {
        new S3Filesystem({
          regoin: 'eu-west-1',
          forcePathStyle: 'yes',
          credentials: { accessKeyId: 'AKIAOPTIONS', secretAccessKey: 'options-secret' },
        } as never);
      } catch (e) {
        return e;
      }
    })();
    expect(err).to.be.instanceOf(ConfigurationError);
    const message = (err as Error).message;
    expect(message).to.include("regoin: unknown option; did you mean 'region'?").and.include('region:').and.include('forcePathStyle:');
    expect(message).not.to.include('options-secret');
  });

  it('loads the AWS SDK only once one is constructed, not when the package is imported', () => {
    const index = path.resolve(__dirname, '../../../src/index.js');
    const script = `
      const loaded = () => Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/]@aws-sdk[\\\\/]/.test(k));
      const { S3Filesystem } = require(${JSON.stringify(index)});
      const before = loaded();
      new S3Filesystem({ region: 'us-east-1' });
      process.stdout.write(JSON.stringify([before, loaded()]));
    `;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).to.equal(0);
    expect(JSON.parse(out.stdout)).to.deep.equal([false, true]);
  });
});
