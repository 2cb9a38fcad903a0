import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestingApp } from '../../src/testing';
import { EtlDiamondFlow, FailThenRecoverFlow } from '../../samples';

describe('samples', () => {
  it('fail_then_recover fails while upstream data is missing, then recover completes it without re-running fetch', async () => {
    const markerFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-marker-')), 'ready');
    const t = await createTestingApp({ flows: [FailThenRecoverFlow], settings: { markerFile } });
    try {
      const failed = await t.app.run('fail_then_recover', { timeperiod: '2026112600' });
      expect(failed.state).to.equal('invalid');
      expect(failed.steps).to.deep.equal({ fetch: 'processed', load: 'invalid', report: 'embryo' });
      fs.writeFileSync(markerFile, '');
      const mark = t.events.length;
      const recovered = await t.app.recover('fail_then_recover', { timeperiod: '2026112600' });
      expect(recovered.state).to.equal('processed');
      const started = t.events.slice(mark).flatMap((e) => (e.type === 'step' && e.state === 'in_progress' ? [e.stepName] : []));
      expect(started).to.deep.equal(['load', 'report']);
    } finally {
      await t.teardown();
      fs.rmSync(path.dirname(markerFile), { recursive: true, force: true });
    }
  });

  it('etl_diamond runs its commands end to end, writing only under its data directory', async () => {
    const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-sample-data-'));
    const t = await createTestingApp({ flows: [EtlDiamondFlow], settings: { dataDirectory } });
    try {
      const result = await t.app.run('etl_diamond', { timeperiod: '2026010100' });
      expect(result.state).to.equal('processed');
      const published = path.join(dataDirectory, '2026010100', 'published', 'clean.txt');
      const numbers = fs.readFileSync(published, 'utf8').trim().split('\n');
      expect(numbers).to.have.length(99);
      expect(numbers).to.not.include('13');
      expect(fs.readFileSync(t.app.logs.stepLogFile('etl_diamond', 'sum'), 'utf8')).to.include(`sum = ${5050 - 13}`);
    } finally {
      await t.teardown();
      fs.rmSync(dataDirectory, { recursive: true, force: true });
    }
  });
});
