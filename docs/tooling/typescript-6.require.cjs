// typescript-eslint, like TypeDoc, needs TypeScript's JS API, which the native TypeScript 7 compiler this
// project builds with does not have. It loads `typescript` with require(), which the ESM resolve hook of
// typescript-6.hook.mjs does not see on Node 20, so `npm run lint:code` preloads this file: it hands
// typescript-eslint (and ts-api-utils, which it uses) the `typescript-6` package (an npm alias of
// typescript@6) wherever they require `typescript`.
'use strict';
const Module = require('node:module');

const users = ['/node_modules/typescript-eslint/', '/node_modules/@typescript-eslint/', '/node_modules/ts-api-utils/'];
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function (request, parent, ...rest) {
  const fromUser = parent?.filename && users.some((folder) => parent.filename.replaceAll('\\', '/').includes(folder));
  if (fromUser && (request === 'typescript' || request.startsWith('typescript/'))) {
    return resolveFilename.call(this, `typescript-6${request.slice('typescript'.length)}`, parent, ...rest);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
