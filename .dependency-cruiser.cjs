// The layer rules of src/ (docs/architecture.md): each folder imports only from the folders
// before it in LAYERS, so data flows one way and no folder reaches back; SQL helpers only where SQL
// may live; nothing of tests or dev dependencies in the service.

/** Lowest first. A folder may import from the folders before it, never from those after it. */
const LAYERS = [
  'config',
  'observability',
  'database',
  'declarations',
  'standard-objects',
  'metadata',
  'sync',
  'records',
  'custom-metadata',
  'upgrade',
  'auth',
  'workspace',
  ['cli', 'http'],
];

const folders = (layer) => (Array.isArray(layer) ? layer : [layer]);

const layerRules = LAYERS.flatMap((layer, index) => {
  const above = LAYERS.slice(index + 1).flatMap(folders);
  const peers = folders(layer).length > 1 ? folders(layer) : [];
  return folders(layer).map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder} may import only from the folders below it (${LAYERS.slice(0, index).flat().join(', ') || 'none'})`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: `^src/(${[...above, ...peers.filter((peer) => peer !== folder), 'main\\.ts', 'server\\.ts'].join('|')})(/|$)` },
  }));
});

/** Where SQL may be written (the ESLint rule on SQL literals says the same for strings). */
const SQL_PLACES = [
  '\\.repository\\.ts$',
  '^src/database/',
  '^src/sync/statement\\.renderer\\.ts$',
  '^src/sync/plan\\.applier\\.ts$',
  '^src/upgrade/versions/',
  '^src/upgrade/steps/',
  // The SQL defaults of columns are part of the layout.
  '^src/metadata/column-layout\\.ts$',
  // The expression a search column's trigger computes, shared with the upgrade that fills it.
  '^src/metadata/search-vector\\.ts$',
];

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'no module reaches back to one that imports it (declarations refer to each other lazily, as relations do)',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.workspace-entity\\.ts$' },
      to: { circular: true },
    },
    {
      name: 'sql-in-its-rooms',
      comment: `the SQL helpers of database/sql are for ${SQL_PLACES.join(', ')}`,
      severity: 'error',
      from: { path: '^src/', pathNot: [...SQL_PLACES, '\\.spec\\.ts$'] },
      to: { path: '^src/database/sql\\.ts$' },
    },
    {
      name: 'converters-pure',
      comment:
        'upgrade/converters turn values into values for the upgrade steps: no database, no SQL, no repository, nothing of the runner',
      severity: 'error',
      from: { path: '^src/upgrade/converters/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          '^src/(database|metadata|records|custom-metadata)/',
          '\\.repository\\.ts$',
          '^src/upgrade/(?!converters/)',
          '(^|/)node_modules/(pg|pg-copy-streams|typeorm|@electric-sql)/',
        ],
      },
    },
    {
      name: 'no-test-code-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
