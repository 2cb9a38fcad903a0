// The import rules of src/: every import runs down the floors of docs/architecture.md, and no
// module imports itself back through others. `npm run lint:boundaries` checks them.

// The floors, lowest first: a module may import its own floor and the floors below it, never one above.
const FLOORS = [
  ['domain'],
  ['errors'],
  ['config', 'timeperiod'],
  ['graph'],
  ['metadata'],
  ['logging'],
  ['persistence', 'filesystems'],
  ['clusters'],
  ['telemetry'],
  ['engine'],
  ['actions'],
  ['scheduler'],
  ['application', 'application-backend', 'flow-application.port', 'flow-event.hub', 'bootstrap', 'bootstrap-options'],
  ['cli', 'viewer', 'testing'],
  ['index'],
];

// `src/<name>/…` for a folder, `src/<name>.ts` for a file at the root of src/.
const pathOf = (names) => `^src/(${names.join('|')})([./]|$)`;

const floorRules = FLOORS.slice(0, -1).map((floor, i) => ({
  name: `floor-${floor[0]}`,
  comment: `${floor.join(', ')} must not import a floor above (${FLOORS.slice(i + 1)
    .flat()
    .join(', ')}): see docs/architecture.md`,
  severity: 'error',
  from: { path: pathOf(floor) },
  to: {
    path: pathOf(FLOORS.slice(i + 1).flat()),
    // The application loads the CLI and the viewer on first use (app.cli(), app.serve()) with a
    // lazy require, so that `import 'synergy-flow'` does not load commander or fastify; those
    // modules take the application back only through FlowApplication (flow-application.port.ts).
    // A type-only import of their options is free: it is erased at compile time.
    ...(floor.includes('application') ? { dependencyTypesNot: ['require', 'type-only', 'type-import'] } : {}),
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A module must not import itself back through others.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...floorRules,
    {
      name: 'in-a-floor',
      comment: 'Every module of src/ belongs to a floor: add a new folder or root file to FLOORS.',
      severity: 'error',
      from: { path: '^src/', pathNot: pathOf(FLOORS.flat()) },
      to: {},
    },
    {
      name: 'top-floor-siblings',
      comment:
        'The CLI, the viewer and the testing harness are independent front ends: none imports another ' +
        "(the CLI's `serve` reaches the viewer through the application; its option types are free).",
      severity: 'error',
      from: { path: pathOf(['cli', 'viewer', 'testing']) },
      to: {
        path: pathOf(['cli', 'viewer', 'testing']),
        pathNot: '^src/$1/',
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/viewer/client/' },
  },
};
