import { expect } from 'chai';
import { inertChunks } from '../../../src/cli/logs/inert-chunks';
import { inertText } from '../../../src/logging/inert-text';

describe('cli logs: a log streamed inert', () => {
  it('shows the control characters as inertText does, a C1 control split between two chunks included', () => {
    const text = 'ok é\x1b]0;title\x07\ttab\nline\r\x7f\u009b31m \u00a0end';
    const bytes = Buffer.from(text);
    const c1 = bytes.indexOf(0xc2, bytes.indexOf(0x7f));
    for (const cut of [0, 3, c1, c1 + 1, bytes.length]) {
      const inert = inertChunks();
      const out = Buffer.concat([inert(bytes.subarray(0, cut)), inert(bytes.subarray(cut))]).toString();
      expect(out, `cut at ${cut}`).to.equal(inertText(text));
    }
    // A chunk without a control character goes out as it came.
    const plain = Buffer.from('2026-11-26T07:00:00.000 s INFO line\n\tnext\n');
    expect(inertChunks()(plain).equals(plain)).to.equal(true);
  });
});
