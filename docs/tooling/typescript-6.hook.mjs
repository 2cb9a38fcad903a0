// TypeDoc needs TypeScript's JS API, which the native TypeScript 7 compiler this project builds with
// does not have. `npm run docs` therefore runs TypeDoc with this hook, which hands it the
// `typescript-6` package (an npm alias of typescript@6) wherever it imports `typescript`.
import { register } from 'node:module';

register('./typescript-6.resolve.mjs', import.meta.url);
