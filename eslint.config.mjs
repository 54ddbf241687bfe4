// Lint rules of the project: typescript-eslint's recommended set, formatting left to Prettier, and
// the house rules that keep SQL in its rooms and package internals out of reach.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** A template that begins with a SQL keyword (its first part ends where the first `${` begins). */
const SQL_TEMPLATE =
  '^\\s*(SELECT|INSERT|UPDATE|DELETE|ALTER|CREATE|DROP|WITH|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|LOCK|TRUNCATE|PREPARE|EXECUTE|DEALLOCATE|COPY)(\\s|$)';
/** A string that reads as a SQL statement (not an option or a word such as SELECT). */
const SQL_STRING =
  '^\\s*(SELECT\\b[\\s\\S]*(\\bFROM\\b|\\bAS\\b|[(])|INSERT INTO|UPDATE \\S+ SET|DELETE FROM|(ALTER|CREATE|DROP) (TABLE|TYPE|INDEX|SCHEMA|TRIGGER|FUNCTION|UNIQUE|OR REPLACE)|WITH \\S+ AS|BEGIN$|COMMIT$|ROLLBACK|SAVEPOINT |RELEASE SAVEPOINT|LOCK TABLE|TRUNCATE |PREPARE |EXECUTE |DEALLOCATE |COPY )';
const SQL_MESSAGE =
  'SQL lives in repositories (*.repository.ts), the statement renderer, the plan applier, database/ and upgrade steps (upgrade/versions, upgrade/steps); call one of them instead.';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?![.]|node:)(@[^/]+/)?[^/]+/(src|dist|lib|driver)/',
              message: "Use the package's public entry point, not its internals.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/*.repository.ts',
      'src/**/*.spec.ts',
      'src/**/*.spec-support.ts',
      'src/database/**',
      'src/sync/statement.renderer.ts',
      'src/sync/plan.applier.ts',
      'src/upgrade/versions/**',
      'src/upgrade/steps/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=/${SQL_STRING}/]`, message: SQL_MESSAGE },
        { selector: `TemplateLiteral > TemplateElement:first-child[value.raw=/${SQL_TEMPLATE}/]`, message: SQL_MESSAGE },
      ],
    },
  },
  prettier,
);
