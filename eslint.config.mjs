// `npm run lint:code`. typescript-eslint needs TypeScript's JS API, which the TypeScript 7 this project builds
// with does not have: the script preloads docs/tooling/typescript-6.require.cjs, which hands it typescript@6.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'docs/api/', 'node_modules/', 'logs/', 'sample-data/', '.tmp/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // Each file is checked with its nearest tsconfig.json: the root one, or src/viewer/client's (the page's DOM code).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // TypeORM, the AWS SDK and the like are require()d where first needed, so that importing synergy-flow stays cheap.
      '@typescript-eslint/no-require-imports': 'off',
      // `async` marks a method that fulfils a Promise-returning contract, so that a throw in it is a rejection.
      '@typescript-eslint/require-await': 'off',
      // String enums are compared with the same strings read back from the database, the API and the CLI.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `unknown | Promise<unknown>` tells the reader that an action may be async.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // String() of a user-supplied unknown (settings, options) is the intended fallback in messages.
      '@typescript-eslint/no-base-to-string': 'off',
      // `{ dropped: _, ...rest }` leaves a property out; `_ctx` names a parameter a signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // An AbortSignal's reason, or an error caught as unknown, is passed on as it was given.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // A server's handler reads the object the server is created before (`let endpoint; ...; endpoint = new ...`).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['spec/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Specs and benchmarks read JSON bodies, raw rows and child-process messages untyped, and assert on their shape.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // Specs match terminal output column by column: the spaces are the point.
      'no-regex-spaces': 'off',
      // chai's property assertions (`expect(x).to.be.empty`) are expressions.
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
  {
    files: ['spec/support/fake-*-endpoint.ts'],
    rules: {
      // The fake AWS endpoints take and answer untyped wire JSON, and throw the service-error shape they answer with.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/only-throw-error': 'off',
    },
  },
);
