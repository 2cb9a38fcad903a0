import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A real pseudo-terminal: a detached tmux session on its own server socket, so a spec never
 * touches anyone's tmux. `screen()` is what a person would see, scrollback included.
 */
export class TmuxTerminal {
  private readonly socket = `synergy-flow-spec-${randomUUID().slice(0, 8)}`;
  private readonly session = 'cli';
  /** The terminal's own folder (TMUX_TMPDIR): tmux's socket folder, which it never removes, goes away with it. */
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synergy-flow-tmux-'));
  // tmux sometimes marks a pane dead without reaping its process (no status): the exit status
  // comes from a wrapper shell instead.
  private readonly statusFile = path.join(this.dir, 'status');

  /** `holdOpen`: the terminal stays alive after the command, as a user's does (its cursor state is then meaningful). */
  constructor(
    command: readonly string[],
    options: { cwd: string; env: Record<string, string>; width?: number; height?: number; holdOpen?: boolean },
  ) {
    const env = Object.entries(options.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
    const script = `${command.map(quote).join(' ')}; echo $? > ${quote(this.statusFile)}.tmp && mv ${quote(this.statusFile)}.tmp ${quote(this.statusFile)}${options.holdOpen ? '; sleep 600' : ''}`;
    try {
      this.tmux(
        'new-session',
        '-d',
        '-s',
        this.session,
        '-x',
        String(options.width ?? 100),
        '-y',
        String(options.height ?? 30),
        '-c',
        options.cwd,
        ...env,
        script,
      );
      // Keep the pane, and what it shows, once the command ends.
      this.tmux('set-option', '-t', this.session, 'remain-on-exit', 'on');
      // Take a program's clipboard writes (OSC 52) as a terminal that allows them does: into a paste buffer.
      this.tmux('set-option', '-s', 'set-clipboard', 'on');
    } catch (err) {
      this.close(); // nobody else can: the caller never gets the terminal
      throw err;
    }
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.session);
  }

  /** The pane's title, which a program may set (OSC 0/2). */
  title(): string {
    return this.tmux('display-message', '-p', '-t', this.session, '#{pane_title}').trim();
  }

  /** What programs wrote to the clipboard (OSC 52), if anything: tmux's newest paste buffer. */
  clipboard(): string | undefined {
    const buffers = this.tmux('list-buffers', '-F', '#{buffer_name}').trim();
    return buffers ? this.tmux('show-buffer') : undefined;
  }

  /** Types keys, as a user does: `C-c` sends SIGINT to the foreground process. */
  press(keys: string): void {
    this.tmux('send-keys', '-t', this.session, keys);
  }

  cursorVisible(): boolean {
    return this.tmux('display-message', '-p', '-t', this.session, '#{cursor_flag}').trim() === '1';
  }

  /** The command's exit status once it has ended, else null. */
  exitStatus(): number | null {
    return fs.existsSync(this.statusFile) ? Number(fs.readFileSync(this.statusFile, 'utf8')) : null;
  }

  /** Polls the screen until `accept` holds (a condition, not a guess at how long it takes). */
  async waitFor(what: string, accept: (screen: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (accept(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}; it shows:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args], {
      env: { ...process.env, LANG: 'C.UTF-8', TMUX_TMPDIR: this.dir },
    }).toString();
  }
}
