// Unit specs live beside the code (src, *.spec.ts); integration specs under test/ (*.int-spec.ts).
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

module.exports = {
  testEnvironment: 'node',
  // Integration specs start processes and databases; a hang still fails, just not at 5 s.
  testTimeout: 120000,
  // Integration files each have a database of their own and spend most of their time waiting on
  // PostgreSQL and on the processes they start: two at once, even on two cores.
  maxWorkers: 2,
  moduleFileExtensions: ['ts', 'js', 'json'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/utils/global-setup.ts',
      globalTeardown: '<rootDir>/test/utils/global-teardown.ts',
    },
  ],
};
