// dependency-cruiser and typescript-eslint, like TypeDoc, need TypeScript's JS API, which the native
// TypeScript 7 compiler this project builds with does not have. They load `typescript` with require(),
// which the ESM resolve hook of typescript-6.hook.mjs does not see on Node 20, so `npm run
// lint:boundaries` and `npm run lint:code` preload this file: it hands them (and ts-api-utils, which
// typescript-eslint uses) the `typescript-6` package (an npm alias of typescript@6) wherever they
// require `typescript`. Everything else keeps the project's TypeScript.
'use strict';
const Module = require('node:module');

const users = [
  '/node_modules/dependency-cruiser/',
  '/node_modules/typescript-eslint/',
  '/node_modules/@typescript-eslint/',
  '/node_modules/ts-api-utils/',
];
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function (request, parent, ...rest) {
  const fromUser = parent?.filename && users.some((folder) => parent.filename.replaceAll('\\', '/').includes(folder));
  if (fromUser && (request === 'typescript' || request.startsWith('typescript/'))) {
    return resolveFilename.call(this, `typescript-6${request.slice('typescript'.length)}`, parent, ...rest);
  }
  return resolveFilename.call(this, request, parent, ...rest);
};
