import { expect } from 'chai';
import { inspect } from 'node:util';
import { createRedactor } from '../../src/logging/redaction';
import { maskThrownValue } from '../../src/logging/thrown-value-redaction';

const SECRET = 'db-Passw0rd-of-etl';
const redact = createRedactor([SECRET]);

/** An error class with a private field and a method reading it: a copy without its constructor would break them. */
class QueryError extends Error {
  readonly #query: string;
  constructor(message: string, query: string) {
    super(message);
    this.#query = query;
  }
  queryLength(): number {
    return this.#query.length;
  }
}

/** A library's object hung on an error (an SDK's raw response): not the harness's to change. */
class RawResponse {
  constructor(readonly body: string) {}
}

describe('logging/maskThrownValue', () => {
  it('masks an error in place: the same object, its class, private fields and methods working', () => {
    const error = new QueryError(`login as etl/${SECRET} refused`, 'select 1');
    expect(maskThrownValue(error, redact)).to.equal(error);
    expect(error).to.be.instanceOf(QueryError);
    expect(error.queryLength()).to.equal(8);
    expect(String(error)).to.equal('Error: login as etl/*** refused');
    expect(inspect(error)).not.to.include(SECRET);
  });

  it('masks AggregateError errors, nested plain fields and arrays; a cycle ends; a library object is left alone', () => {
    const cause: Error & { again?: unknown } = new Error(`cause ${SECRET}`);
    const error = new AggregateError([new Error(`first ${SECRET}`)], 'two failed', { cause });
    cause.again = error;
    const fields = error as AggregateError & { context: unknown; response: RawResponse };
    fields.context = { argv: ['psql', `--password=${SECRET}`], tries: 2 };
    fields.response = new RawResponse(`echo ${SECRET}`);
    maskThrownValue(error, redact);
    expect((error.errors[0] as Error).message).to.equal('first ***');
    expect(fields.context).to.deep.equal({ argv: ['psql', '--password=***'], tries: 2 });
    expect(cause.message).to.equal('cause ***');
    expect(fields.response.body).to.equal(`echo ${SECRET}`);
  });

  it('gives a masked copy of a frozen error, with its prototype; a thrown string or object masked too', () => {
    const frozen = Object.freeze(new TypeError(`bad ${SECRET}`));
    const copy = maskThrownValue(frozen, redact) as TypeError;
    expect(copy).not.to.equal(frozen);
    expect(copy).to.be.instanceOf(TypeError);
    expect(copy.message).to.equal('bad ***');
    expect(copy.stack).not.to.include(SECRET);
    expect(maskThrownValue(`thrown ${SECRET}`, redact)).to.equal('thrown ***');
    expect(maskThrownValue({ message: `body ${SECRET}` }, redact)).to.deep.equal({ message: 'body ***' });
    expect(maskThrownValue(42, redact)).to.equal(42);
  });
});
