// dependency-cruiser needs TypeScript's JS API (to parse the sources), which the native
// TypeScript 7 compiler this project builds with does not have. `npm run lint:boundaries` preloads
// this file (for its `require` calls) and typescript-6.hook.mjs (for its `import`s), so that
// `typescript` required from dependency-cruiser is `typescript-6` (an npm alias of typescript@6).
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const fromCruiser = parent?.filename?.includes('/node_modules/dependency-cruiser/');
  if (fromCruiser && (request === 'typescript' || request.startsWith('typescript/'))) {
    request = request.replace(/^typescript/, 'typescript-6');
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
