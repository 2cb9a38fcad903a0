import { expect } from 'chai';
import { Client } from 'pg';
import { ClusterError } from '../../src';
import { describeError } from '../../src/engine/describe-error';
import { sharedPostgres } from '../support/postgres-server';

describe('engine/describeError', function () {
  this.timeout(30_000);

  it("names a PostgreSQL error once, as DatabaseError with its SQLSTATE (the driver calls them all 'error')", async () => {
    const server = await sharedPostgres();
    const { type: _type, username: user, ...options } = server.options();
    const client = new Client({ ...options, user });
    await client.connect();
    const err = await client
      .query('SELECT 1 / 0')
      .then(
        () => expect.fail('divided by zero'),
        (e: Error) => e,
      )
      .finally(() => client.end());
    expect(err.name, 'what the driver gives').to.equal('error');
    expect(describeError(err)).to.equal('DatabaseError: division by zero (SQLSTATE 22012)');
  });

  it('keeps the name of every other error', () => {
    expect(describeError(new ClusterError('ls exited with code 2'))).to.equal('ClusterError: ls exited with code 2');
    expect(describeError(new TypeError('bad'))).to.equal('TypeError: bad');
    expect(describeError('plain')).to.equal('plain');
  });

  it('says what a thrown object holds: its message, else its JSON, else its tag', () => {
    expect(describeError({ message: 'quota exceeded' })).to.equal('quota exceeded');
    expect(describeError({ status: 503 })).to.equal('{"status":503}');
    expect(describeError({})).to.equal('[object Object]');
    expect(describeError({ n: 1n })).to.equal('[object Object]');
    expect(describeError(undefined)).to.equal('undefined');
    expect(describeError(null)).to.equal('null');
  });
});
