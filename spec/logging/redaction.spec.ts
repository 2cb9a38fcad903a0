import { expect } from 'chai';
import { basicAuthSecret, createRedactor, secretValues } from '../../src/logging/redaction';
import { databaseSecrets } from '../../src/persistence/data-source.factory';

describe('logging/redaction', () => {
  it('redacts a long secret wherever it appears, inside a word too', () => {
    const redact = createRedactor(['wJalrXUtnFEMI/K7MDENG']);
    expect(redact('key=wJalrXUtnFEMI/K7MDENG; again:xwJalrXUtnFEMI/K7MDENGx')).to.equal('key=***; again:x***x');
  });

  it('redacts secrets of 1 to 5 characters where they stand alone, and leaves the words that merely contain them', () => {
    const redact = createRedactor(['pw', 'x', '12345']);
    expect(redact('login failed for password pw')).to.equal('login failed for password ***');
    expect(redact('postgres://app:pw@db:5432/main')).to.equal('postgres://app:***@db:5432/main');
    expect(redact('{"password":"pw","pin":"12345","flag":"x"}')).to.equal('{"password":"***","pin":"***","flag":"***"}');
    expect(redact('pw=12345')).to.equal('***=***');
    // No secret here, just words that contain the letters: the line stays readable.
    expect(redact('pwd is /tmp/pw2, 123456 rows, max 3 retries')).to.equal('pwd is /tmp/pw2, 123456 rows, max 3 retries');
  });

  it('redacts the JSON-escaped form of a secret with a backslash or a quote, escaped once or twice', () => {
    const secret = 'a\\b"c';
    const redact = createRedactor([secret]);
    const once = JSON.stringify({ password: secret });
    const twice = JSON.stringify({ body: once });
    expect(once).to.include('a\\\\b\\"c');
    expect(redact(once)).to.equal('{"password":"***"}');
    expect(redact(twice)).to.equal('{"body":"{\\"password\\":\\"***\\"}"}');
    expect(redact(`raw ${secret} end`)).to.equal('raw *** end');
  });

  it('redacts the URL-encoded form (upper or lower case escapes, + for a space) and the base64 form', () => {
    const secret = 'p@ss w/rd';
    const redact = createRedactor([secret]);
    expect(redact(`https://u:${encodeURIComponent(secret)}@host/`)).to.equal('https://u:***@host/');
    expect(redact('https://u:p%40ss%20w%2frd@host/')).to.equal('https://u:***@host/');
    expect(redact('password=p%40ss+w%2Frd&x=1')).to.equal('password=***&x=1');
    expect(redact(`token ${Buffer.from(secret).toString('base64')}`)).to.equal('token ***');
  });

  it('redacts the forms other encoders write: Python and Go JSON escapes, escaped slashes, a URL user info, Python quote', () => {
    const password = 'Tr&ck<y>pässwörd€/+1';
    const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const redact = createRedactor([password, awsSecret]);
    // Python json.dumps: every non-ASCII character as a lower-case \uXXXX escape.
    expect(redact('{"password": "Tr&ck<y>p\\u00e4ssw\\u00f6rd\\u20ac/+1"}')).to.equal('{"password": "***"}');
    // Go encoding/json: <, > and & escaped.
    expect(redact('{"password":"Tr\\u0026ck\\u003cy\\u003epässwörd€/+1"}')).to.equal('{"password":"***"}');
    // PHP json_encode: slashes escaped, and the non-ASCII characters too; once, or inside JSON again.
    expect(redact('{"secret":"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY"}')).to.equal('{"secret":"***"}');
    expect(redact('"body":"{\\"secret\\":\\"wJalrXUtnFEMI\\\\\\/K7MDENG\\\\\\/bPxRfiCYEXAMPLEKEY\\"}"')).to.equal(
      '"body":"{\\"secret\\":\\"***\\"}"',
    );
    expect(redact('{"p":"Tr&ck<y>p\\u00e4ssw\\u00f6rd\\u20ac\\/+1"}')).to.equal('{"p":"***"}');
    // A URL's user info as the WHATWG URL standard encodes it: & and + stay as they are.
    const url = new URL('postgres://bob@db:5432/x');
    url.password = password;
    expect(redact(url.href)).to.equal('postgres://bob:***@db:5432/x');
    // Python's urllib.parse.quote: / left as is.
    expect(redact(`key=${awsSecret.split('/').map(encodeURIComponent).join('/')}`)).to.equal('key=***');
  });

  it('masks what a cut left of a secret: its start before a line cut mark, its end after a tail cut mark', () => {
    const secret = 'hUnT/c+Secret/Key+0123456789abcdefABCDEF';
    const redact = createRedactor([secret, 'pw']);
    expect(redact(`xxxx${secret.slice(0, 20)} [cut 20 bytes]`)).to.equal('xxxx*** [cut 20 bytes]');
    expect(redact(`[stderr tail cut: 120 earlier characters left out] ${secret.slice(-25)}BBBB`)).to.equal(
      '[stderr tail cut: 120 earlier characters left out] ***BBBB',
    );
    // However short the piece, in an escaped form too.
    expect(redact(`x${secret.slice(0, 1)} [cut 5 bytes]`)).to.equal('x*** [cut 5 bytes]');
    expect(redact(`{"k":"hUnT\\/c+Se [cut 9 bytes]`)).to.equal('{"k":"*** [cut 9 bytes]');
    // A short secret's piece where it stands alone, not inside a word.
    expect(redact('password=p [cut 9 bytes]')).to.equal('password=*** [cut 9 bytes]');
    expect(redact('help [cut 9 bytes]')).to.equal('help [cut 9 bytes]');
    // Whole secrets and text without a mark are redacted as ever.
    expect(redact(`${secret} ${secret.slice(0, 20)}`)).to.equal(`*** ${secret.slice(0, 20)}`);
  });

  it('redacts the Basic authentication header of a database user and password', () => {
    const secrets = databaseSecrets({ type: 'postgres', host: 'db', username: 'app', password: 'pw' } as never);
    expect(secrets).to.include(basicAuthSecret('app', 'pw'));
    const redact = createRedactor(secrets);
    expect(redact(`Authorization: Basic ${Buffer.from('app:pw').toString('base64')}`)).to.equal('Authorization: Basic ***');
    const fromUrl = createRedactor(databaseSecrets({ type: 'postgres', url: 'postgres://app:s%3Ae@db/main' } as never));
    expect(fromUrl(`Basic ${Buffer.from('app:s:e').toString('base64')} and s:e`)).to.equal('Basic *** and ***');
  });

  it('redacts a secret inside a longer base64 text, at each of the 3 byte offsets: Basic base64(user:secret) for any user', () => {
    const secret = 'Sup3r-Secret/Pass+word';
    const redact = createRedactor([secret]);
    const basic = (user: string) => `Authorization: Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
    // 'u:' puts the secret at offset 2 of a base64 group, 'abc:' at 1, 'ab:' at 0.
    for (const user of ['u', 'ab', 'abc', 'bob@example.com', 'ab:c'])
      expect(redact(basic(user)), user).to.match(/^Authorization: Basic [A-Za-z0-9+/]*\*\*\*[A-Za-z0-9+/]{0,3}=*$/);
    // Inside a base64 text the secret is followed by more bytes too, in base64url as well: every character
    // whose bits are all the secret's is masked, so what is left each side ends where the secret's bytes begin and end.
    for (const before of ['{"password":"', 'z{"password":"', 'zz{"password":"']) {
      const bytes = Buffer.from(`${before}${secret}","x":1}`);
      const [from, to] = [before.length, before.length + Buffer.byteLength(secret)];
      for (const encoded of [bytes.toString('base64'), bytes.toString('base64url')]) {
        const masked = redact(encoded);
        expect(masked.slice(0, masked.indexOf('***')), encoded).to.equal(encoded.slice(0, Math.ceil((8 * from) / 6)));
        expect(masked.slice(masked.indexOf('***') + 3), encoded).to.equal(encoded.slice(Math.floor((8 * to) / 6)));
      }
    }
    // A short secret gets no such core (it would mask innocent base64): it is still masked where its base64 stands whole.
    const short = createRedactor(['pw1']);
    expect(short(`Basic ${Buffer.from('u:pw1').toString('base64')} ${Buffer.from('pw1').toString('base64')}`)).to.equal(
      `Basic ${Buffer.from('u:pw1').toString('base64')} ***`,
    );
    expect(short('data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB')).to.equal(
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB',
    );
  });

  it('takes every leaf of a credentials object, a numeric PIN as the digits it prints as', () => {
    const secrets = secretValues({ api: { key: 'k-123456' }, pin: 4821, tokens: ['t0k'] });
    expect(secrets).to.deep.equal(['k-123456', '4821', 't0k']);
    expect(createRedactor(secrets)(`pin ${4821}, key k-123456, token t0k`)).to.equal('pin ***, key ***, token ***');
  });

  it('changes nothing when there is no secret, or only empty values', () => {
    expect(createRedactor([])('a b c')).to.equal('a b c');
    expect(createRedactor(['', undefined, 42])('a b c')).to.equal('a b c');
  });
});
