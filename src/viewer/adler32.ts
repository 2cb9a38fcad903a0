/*
 * Adler-32, the checksum that ends a zlib stream (RFC 1950), for the event streams' `deflate`
 * encoding: each batch's checksum is computed once, and a stream's is combined from those of the
 * batches it received (zlib's adler32_combine), so that every stream ends with a valid trailer.
 */
const BASE = 65521;
/** Bytes that can be summed before the sums must be reduced (zlib's NMAX). */
const NMAX = 5552;

export const ADLER32_INITIAL = 1;

export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let start = 0; start < bytes.length; start += NMAX) {
    const end = Math.min(start + NMAX, bytes.length);
    for (let i = start; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return (b * 65536 + a) >>> 0;
}

/** The checksum of `first` followed by `second`, from theirs and the length of `second`. */
export function adler32Combine(first: number, second: number, secondLength: number): number {
  const rem = secondLength % BASE;
  let sum1 = first & 0xffff;
  let sum2 = (rem * sum1) % BASE;
  sum1 += (second & 0xffff) + BASE - 1;
  sum2 += ((first >>> 16) & 0xffff) + ((second >>> 16) & 0xffff) + BASE - rem;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum2 >= BASE * 2) sum2 -= BASE * 2;
  if (sum2 >= BASE) sum2 -= BASE;
  return (sum2 * 65536 + sum1) >>> 0;
}
