import { expect } from 'chai';
import { presentActionArgs } from '../../src/viewer/action-args.presenter';

describe('viewer: the action arguments a definition shows', () => {
  it('masks the credentials a shell command visibly holds: a URL password, secret-named flags and variables, the word after --password', () => {
    const shown = presentActionArgs({
      argv: ['pg_dump', '--dbname=postgresql://report:Hunter2Pw@db:5432/sales', '--password', 'Hunter2Pw', '--token=t0k', '-U', 'report'],
      env: { MYSQL_PWD: 'Hunter2Pw', PGPASSWORD: 'Hunter2Pw', AWS_SECRET_ACCESS_KEY: 'k', HOME: '/home/etl' },
      url: 'https://api.example/export?day=1&api_key=Hunter2Pw&format=csv',
      script: 'PGPASSWORD="Hunter2 Pw" psql -h db',
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(JSON.stringify(shown)).not.to.include('t0k');
    expect(shown).to.deep.equal({
      argv: ['pg_dump', '--dbname=postgresql://report:***@db:5432/sales', '--password', '***', '--token=***', '-U', 'report'],
      env: { MYSQL_PWD: '***', PGPASSWORD: '***', AWS_SECRET_ACCESS_KEY: '***', HOME: '/home/etl' },
      url: 'https://api.example/export?day=1&api_key=***&format=csv',
      script: 'PGPASSWORD=*** psql -h db',
    });
  });

  it('leaves ordinary arguments as given: paths, e-mail addresses, scp targets, plain key=value words', () => {
    const args = { argv: ['cp', 'user@host:/data/in', '/data/out', 'mode=fast', '--notify=ops@example.com'], retries: 2, dry: false };
    expect(presentActionArgs(args)).to.deep.equal(args);
  });

  it("masks a cookie given to a command (--cookie=..., --cookie <value>, a Cookie key), not curl's cookie jar or file paths", () => {
    const shown = presentActionArgs({
      argv: ['curl', '--cookie', 'session=Hunter2Sid', '--cookie-jar', '/tmp/jar.txt', 'https://api.example/export'],
      script: 'wget --cookie="sid=Hunter2Sid" https://api.example/export',
      headers: { Cookie: 'sid=Hunter2Sid' },
      cookieFile: '/srv/etl/cookies.txt',
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      argv: ['curl', '--cookie', '***', '--cookie-jar', '/tmp/jar.txt', 'https://api.example/export'],
      script: 'wget --cookie=*** https://api.example/export',
      headers: { Cookie: '***' },
      cookieFile: '/srv/etl/cookies.txt',
    });
  });

  it('shows PWD and OLDPWD, the working directories, as they are, and still masks MYSQL_PWD and --pwd', () => {
    const shown = presentActionArgs({
      env: { PWD: '/srv/etl', OLDPWD: '/home/etl', MYSQL_PWD: 'Hunter2Pw' },
      script: 'cd /srv/etl && PWD=/srv/etl OLDPWD=/home/etl DB_PWD=Hunter2Pw ./load.sh --pwd=Hunter2Pw',
      argv: ['mysql', '--pwd', 'Hunter2Pw'],
    });
    expect(JSON.stringify(shown)).not.to.include('Hunter2');
    expect(shown).to.deep.equal({
      env: { PWD: '/srv/etl', OLDPWD: '/home/etl', MYSQL_PWD: '***' },
      script: 'cd /srv/etl && PWD=/srv/etl OLDPWD=/home/etl DB_PWD=*** ./load.sh --pwd=***',
      argv: ['mysql', '--pwd', '***'],
    });
  });
});
