// The architecture, checked by `npm run check` (depcruise): data flows one way —
// manifest → model → render → engine → cluster, with store beside the engine — and the edges
// (cli, server, web, import, parity) sit outside. An inner layer never imports an outer one, no
// one imports the CLI (nor the server but the CLI's `ferry server` command), and there are no
// cycles. errors.ts and kinds.ts are leaves every layer may read. Tests may import what they test.
const layer = (name, mayImport) => ({
  name: `${name}-imports-only-inner-layers`,
  comment: `src/${name} may import only ${mayImport.join(', ') || 'nothing of ferry'} (and the leaves errors.ts, kinds.ts)`,
  severity: 'error',
  from: { path: `^src/${name}/`, pathNot: '\\.test\\.ts$|/testing\\.ts$' },
  to: {
    path: '^src/',
    pathNot: [
      `^src/${name}/`,
      '^src/errors\\.ts$',
      '^src/kinds\\.ts$',
      ...mayImport.map((l) => `^src/${l}/`),
    ],
  },
});

module.exports = {
  forbidden: [
    layer('manifest', []),
    layer('model', ['manifest']),
    layer('render', ['model', 'manifest']),
    layer('cluster', []),
    layer('store', ['cluster']),
    layer('engine', ['render', 'model', 'manifest', 'store', 'cluster']),
    layer('parity', ['import', 'render', 'model', 'manifest']),
    layer('import', ['render', 'model', 'manifest']),
    layer('server', ['engine', 'render', 'model', 'manifest', 'store', 'cluster', 'import', 'parity']),
    layer('web', []),
    {
      name: 'leaves-import-nothing',
      severity: 'error',
      from: { path: '^src/(errors|kinds)\\.ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^(src|bench|scripts)/', pathNot: '^src/cli/|\\.test\\.ts$' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
