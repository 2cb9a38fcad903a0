import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as api from '../../src';
import * as errors from '../../src/errors';

/** Every error class the package exports: its codes are what scripts and the viewer's clients branch on. */
const exported = Object.entries(api).filter(
  (entry): entry is [string, typeof api.SynergyFlowError] =>
    typeof entry[1] === 'function' && (entry[1] === api.SynergyFlowError || entry[1].prototype instanceof api.SynergyFlowError),
);

/** The TypeScript sources, read from the repository (the specs run from dist/spec). */
const SOURCE_ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'client' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('errors: stable codes', () => {
  it('every exported error class has its own code, ERR_SYNERGY_ and capitals, that its errors carry', () => {
    expect(exported.length).to.be.greaterThan(25);
    const codes = new Map<string, string>();
    for (const [name, type] of exported) {
      expect(type.code, name).to.match(/^ERR_SYNERGY_[A-Z_]+$/);
      expect(codes.get(type.code), `${name} and ${codes.get(type.code)} share ${type.code}`).to.equal(undefined);
      codes.set(type.code, name);
      expect(Object.getOwnPropertyNames(type), `${name} declares no code of its own`).to.include('code');
    }
  });

  it('an error carries its class code as an own property, as Node errors do', () => {
    const err = new api.UnknownFlowError('nightly', ['daily_etl']);
    expect(err.code).to.equal('ERR_SYNERGY_UNKNOWN_FLOW');
    expect(Object.keys(err)).to.include('code');
    expect(new api.FlowLockedError('f', '2026112600', 'host:1').code).to.equal('ERR_SYNERGY_FLOW_LOCKED');
    // A user's subclass of NonRetryableError is still a non-retryable error to a script.
    class QuotaExceeded extends api.NonRetryableError {}
    expect(new QuotaExceeded('over quota').code).to.equal('ERR_SYNERGY_NON_RETRYABLE');
  });

  it('the errors barrel and the package export the same error classes', () => {
    const barrel = Object.keys(errors).filter((name) => typeof (errors as Record<string, unknown>)[name] === 'function');
    expect(exported.map(([name]) => name).sort()).to.deep.equal(barrel.sort());
  });

  it('every error class of the engine lives in src/errors, one file each', () => {
    const outside: string[] = [];
    for (const file of [...sourceFiles(path.join(SOURCE_ROOT, 'src')), ...sourceFiles(path.join(SOURCE_ROOT, 'decorators'))]) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/class (\w+) extends (\w*Error)\b/g)) {
        const relative = path.relative(SOURCE_ROOT, file);
        if (!relative.startsWith(`src${path.sep}errors${path.sep}`) && match[2] !== 'Error') outside.push(`${match[1]} in ${relative}`);
      }
    }
    expect(outside).to.deep.equal([]);
    const errorFiles = fs.readdirSync(path.join(SOURCE_ROOT, 'src/errors')).filter((f) => f.endsWith('.error.ts'));
    expect(errorFiles.length).to.equal(exported.length);
  });
});
