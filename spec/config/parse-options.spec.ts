import { expect } from 'chai';
import { z } from 'zod';
import { parseOptions } from '../../src/config/parse-options';
import { ConfigurationError } from '../../src/errors';

describe('parseOptions', () => {
  const schema = z.strictObject({
    count: z.number().int().min(1).default(2),
    name: z.string().max(8),
    lease: z.strictObject({ ttlMs: z.number().int().min(100) }).optional(),
    tags: z.array(z.strictObject({ key: z.string() })).optional(),
  });

  it('returns the parsed value with its defaults filled', () => {
    expect(parseOptions(schema, { name: 'a' }, 'test options')).to.deep.equal({ count: 2, name: 'a' });
  });

  it('lists every problem at once, each with its path, in one ConfigurationError', () => {
    const err = catchError(() => parseOptions(schema, { count: 2.5, name: 'much too long', lease: { ttlMs: 5 } }, 'test options'));
    expect(err).to.be.instanceOf(ConfigurationError);
    expect(err.name).to.equal('ConfigurationError');
    expect(err.subject).to.equal('test options');
    expect(err.problems.map((p) => p.path)).to.deep.equal(['count', 'name', 'lease.ttlMs']);
    expect(err.message).to.match(/^test options have 3 problems:\n  - count: /);
    expect(err.message).to.contain('Fix them and start again');
  });

  it('names an unknown key and the option it most likely meant, at any depth', () => {
    const err = catchError(() =>
      parseOptions(schema, { name: 'a', cout: 1, lease: { ttlMS: 500 }, tags: [{ key: 'k', kye: 'v' }] }, 'test options'),
    );
    const byPath = Object.fromEntries(err.problems.map((p) => [p.path, p.message]));
    expect(byPath['cout']).to.equal("unknown option; did you mean 'count'?");
    expect(byPath['lease.ttlMS']).to.match(/unknown option; did you mean 'ttlMs'\?/);
    expect(byPath['tags[0].kye']).to.match(/did you mean 'key'\?/);
    expect(byPath['lease.ttlMs']).to.match(/expected number/);
  });

  it('offers no wild guess for a name unlike any option, and lists the known ones instead', () => {
    const err = catchError(() => parseOptions(schema, { name: 'a', zzzzzzzz: 1 }, 'test options'));
    expect(err.problems).to.deep.equal([{ path: 'zzzzzzzz', message: 'unknown option; the known options are count, name, lease, tags' }]);
  });
});

function catchError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (err) {
    return err as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}
