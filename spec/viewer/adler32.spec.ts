import * as zlib from 'node:zlib';
import { expect } from 'chai';
import { adler32, adler32Combine, ADLER32_INITIAL } from '../../src/viewer/adler32';

/** zlib's own Adler-32 of `bytes`: the last four bytes of the zlib stream it makes of them. */
function zlibAdler32(bytes: Buffer): number {
  const stream = zlib.deflateSync(bytes);
  return stream.readUInt32BE(stream.length - 4);
}

describe('viewer/adler32', () => {
  const samples = [
    Buffer.alloc(0),
    Buffer.from('a'),
    Buffer.from('id: 1\nevent: step\ndata: {}\n\n'.repeat(997)),
    Buffer.alloc(3_000_000, 0xff),
  ];

  it("computes zlib's checksum, empty input and inputs past the sums' reduction interval included", () => {
    expect(adler32(Buffer.alloc(0))).to.equal(ADLER32_INITIAL);
    for (const bytes of samples) expect(adler32(bytes), `${bytes.length} bytes`).to.equal(zlibAdler32(bytes));
  });

  it('combines the checksums of two parts into that of the whole, as zlib stream trailers need', () => {
    for (const first of samples) {
      for (const second of samples) {
        expect(adler32Combine(adler32(first), adler32(second), second.length)).to.equal(zlibAdler32(Buffer.concat([first, second])));
      }
    }
  });
});
