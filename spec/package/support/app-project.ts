import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecked, runCommand, type CommandResult } from './command.runner';
import { readmeExample, type ReadmeExample } from './readme-examples';

/** The project's own tsc: the application compiles with it, as it would with its own. */
const TSC = path.resolve(__dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'tsc');

/** The two entry files of the README; each sits in a folder of the application with its own package.json "type". */
export type EntryKind = 'commonjs' | 'esm';
const ENTRY_FOLDER: Record<EntryKind, string> = { commonjs: '.', esm: 'esm' };

/**
 * A user's project, made from the README's examples: the CommonJS entry at its root, the ES module
 * entry in `esm/` (a package.json with "type": "module"), both sharing the root's node_modules.
 */
export class AppProject {
  private constructor(readonly dir: string) {}

  static create(dir: string, examples: readonly ReadmeExample[]): AppProject {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    const flows = readmeExample(examples, 'src/flows.ts').text;
    const tsconfig = readmeExample(examples, 'tsconfig.json').text;
    write('package.json', `${JSON.stringify({ name: 'etl-app', version: '1.0.0', private: true }, null, 2)}\n`);
    write('tsconfig.json', tsconfig);
    write('src/flows.ts', flows);
    write('src/main.ts', readmeExample(examples, 'src/main.ts', 'CommonJS').text);
    write('esm/package.json', `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
    write('esm/tsconfig.json', tsconfig);
    write('esm/src/flows.ts', flows);
    write('esm/src/main.ts', readmeExample(examples, 'src/main.ts', 'ES module').text);
    return new AppProject(dir);
  }

  /** A copy, node_modules included: installing another source into it replaces synergy-flow only. */
  copyTo(dir: string): AppProject {
    fs.cpSync(this.dir, dir, { recursive: true, verbatimSymlinks: true });
    return new AppProject(dir);
  }

  /** `npm install <what...>`, from npm's cache where it can. */
  install(...what: string[]): Promise<CommandResult> {
    return runChecked('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...what], { cwd: this.dir });
  }

  compile(entry: EntryKind): Promise<CommandResult> {
    return runChecked(TSC, ['-p', '.'], { cwd: this.folder(entry) });
  }

  /** `node dist/main.js <args>`: the entry file as the command line. */
  runEntry(entry: EntryKind, args: string[]): Promise<CommandResult> {
    return runCommand(process.execPath, ['dist/main.js', ...args], { cwd: this.folder(entry) });
  }

  /** `synergy-flow --app dist/main.js <args>`: the package's bin. */
  runBin(entry: EntryKind, args: string[]): Promise<CommandResult> {
    return runCommand(path.join(this.dir, 'node_modules', '.bin', 'synergy-flow'), ['--app', 'dist/main.js', ...args], {
      cwd: this.folder(entry),
    });
  }

  stepLog(entry: EntryKind, flow: string, step: string): string {
    return fs.readFileSync(path.join(this.folder(entry), 'logs', flow, `${step}.log`), 'utf8');
  }

  /** Where Node finds `module` from inside the installed synergy-flow, and from the application. */
  resolveFromPackage(module: string): { fromPackage: string; fromApp: string } {
    const installed = fs.realpathSync(path.join(this.dir, 'node_modules', 'synergy-flow', 'dist', 'src'));
    return { fromPackage: require.resolve(module, { paths: [installed] }), fromApp: require.resolve(module, { paths: [this.dir] }) };
  }

  private folder(entry: EntryKind): string {
    return path.join(this.dir, ENTRY_FOLDER[entry]);
  }
}
