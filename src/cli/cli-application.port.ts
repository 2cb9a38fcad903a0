import type { FlowApplication } from '../flow-application.port';
import type { ServeOptions, ViewerServer } from '../viewer/serve-options';

/** The options of `app.cli(argv, options)`. */
export interface CliOptions {
  /** How users invoke the program, shown in usage and hints; default `node <entry script>`. */
  name?: string;
}

/**
 * The application as the command line uses it: the FlowApplication plus the two front ends it
 * starts (the viewer of `serve`, and the command line itself for an `--app` entry file).
 */
export interface CliApplication extends FlowApplication {
  /** Starts the web flow viewer. */
  serve(options: ServeOptions): Promise<ViewerServer>;
  /** Runs one command line against the application, then closes it; resolves to the exit code. */
  cli(argv?: string[], options?: CliOptions): Promise<number>;
}
