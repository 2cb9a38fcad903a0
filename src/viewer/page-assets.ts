import * as fs from 'node:fs';
import * as path from 'node:path';
import { INDEX_PAGE } from './page/index.page';
import { VIEWER_CSS } from './page/viewer.styles';

export interface PageAsset {
  contentType: string;
  body: string;
}

/** Where `npm run build` puts the compiled client script (see src/viewer/client/tsconfig.json). */
const CLIENT_DIRECTORY = path.join(__dirname, 'client');

/**
 * Every file the page may load, read once when the viewer starts. Requests pick from this map by
 * name, so no part of a URL is ever turned into a path.
 */
export function loadPageAssets(): Map<string, PageAsset> {
  const assets = new Map<string, PageAsset>([
    ['viewer.css', { contentType: 'text/css; charset=utf-8', body: VIEWER_CSS }],
    ['dagre.min.js', { contentType: 'text/javascript; charset=utf-8', body: fs.readFileSync(dagreBrowserBuild(), 'utf8') }],
  ]);
  const clientFiles = fs.existsSync(CLIENT_DIRECTORY) ? fs.readdirSync(CLIENT_DIRECTORY).filter((f) => f.endsWith('.js')) : [];
  for (const file of clientFiles) {
    assets.set(file, { contentType: 'text/javascript; charset=utf-8', body: fs.readFileSync(path.join(CLIENT_DIRECTORY, file), 'utf8') });
  }
  return assets;
}

/** The page, or a page that says how to build it when the client script is missing. */
export function indexPage(assets: ReadonlyMap<string, PageAsset>): { status: number; body: string } {
  if (assets.has('main.js')) {
    // every module of the page asked for at once, rather than one import level after another
    const modules = [...assets.keys()].filter((name) => name.endsWith('.js') && name !== 'main.js' && name !== 'dagre.min.js');
    const preload = modules.map((name) => `<link rel="modulepreload" href="/assets/${name}">`).join('\n  ');
    return { status: 200, body: INDEX_PAGE.replace('<!-- module preloads -->', preload) };
  }
  return {
    status: 503,
    body: `<!doctype html><title>synergy-flow viewer</title><p>The viewer's client script is not built (${CLIENT_DIRECTORY}/main.js is missing): run <code>npm run build</code>, then restart the viewer.</p>`,
  };
}

/** dagre's self-contained browser build (it defines the global `dagre`), from the installed package. */
function dagreBrowserBuild(): string {
  return path.join(path.dirname(require.resolve('@dagrejs/dagre')), 'dagre.min.js');
}
