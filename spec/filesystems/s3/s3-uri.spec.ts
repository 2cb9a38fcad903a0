import { expect } from 'chai';
import { asPrefix, copySource, formatS3Uri, parseS3Uri } from '../../../src/filesystems/s3/s3-uri';

describe('S3 URIs', () => {
  it('parses s3://, s3a:// and s3n:// into bucket and key', () => {
    expect(parseS3Uri('s3://bucket/a/b.csv')).to.deep.equal({ bucket: 'bucket', key: 'a/b.csv' });
    expect(parseS3Uri('s3a://bucket/dir/')).to.deep.equal({ bucket: 'bucket', key: 'dir/' });
    expect(parseS3Uri('s3n://bucket')).to.deep.equal({ bucket: 'bucket', key: '' });
    expect(formatS3Uri({ bucket: 'b', key: 'k' })).to.equal('s3://b/k');
  });

  it('rejects anything else, showing the expected form', () => {
    for (const bad of ['/tmp/x', 'https://bucket/x', 's3://', 'S3:/bucket/x']) {
      expect(() => parseS3Uri(bad), bad).to.throw(TypeError, /s3:\/\/bucket\/key/);
    }
  });

  it('turns a key into a directory prefix', () => {
    expect(['a', 'a/', 'a//', '', '/'].map(asPrefix)).to.deep.equal(['a/', 'a/', 'a/', '', '']);
  });

  it('URL-encodes a copy source key segment by segment', () => {
    expect(copySource({ bucket: 'b', key: 'dir x/a+b&c.csv' })).to.equal('b/dir%20x/a%2Bb%26c.csv');
  });
});
