// Lint: typescript-eslint's recommended rules, no import cycles, and the layers of CONTRIBUTING.md
// as restricted imports, one list per folder (a later entry for the same files would replace it).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const UI_LIBS = ['ink', 'ink/*', 'react', 'react/*', 'ink-testing-library'];
const ABOVE_STORE = [
  '../services/*',
  '../ingest/*',
  '../receiver/*',
  '../state/*',
  '../ui/*',
  '../app/*',
  '../cli/*',
  '../commands/*',
  '../output/*',
  '../program.js',
];

const layers = [
  [
    'src/domain/**',
    ['../*', 'better-sqlite3', 'chokidar', 'node:*', ...UI_LIBS],
    'domain/ is pure: it imports nothing of ours outside domain/, and no I/O.',
  ],
  ['src/store/**', [...ABOVE_STORE, ...UI_LIBS], 'store/ imports only domain/.'],
  [
    'src/ingest/**',
    [...ABOVE_STORE.filter((p) => p !== '../ingest/*'), ...UI_LIBS],
    'ingest/ imports only domain/ and store/.',
  ],
  [
    'src/receiver/**',
    [...ABOVE_STORE.filter((p) => p !== '../receiver/*'), ...UI_LIBS],
    'receiver/ imports only domain/ and store/.',
  ],
  [
    'src/services/**',
    [...ABOVE_STORE.filter((p) => p !== '../services/*'), ...UI_LIBS],
    'services/ (status assembly shared by every view) imports only domain/ and store/.',
  ],
  [
    'src/output/**',
    ['../ui/*', '../state/*', '../commands/*', '../cli/*', '../program.js', ...UI_LIBS],
    'output/ imports neither ui/, state/ nor the command line.',
  ],
  [
    'src/state/**',
    ['../ui/*', '../app/*', '../commands/*', '../cli/*', '../program.js', ...UI_LIBS],
    'state/ imports no ui/, app/ (the composition root), React, Ink or command.',
  ],
  [
    'src/ui/**',
    [
      '../../app/*',
      '../../store/*',
      '../../ingest/*',
      '../../receiver/*',
      '../../commands/*',
      '../../program.js',
      '../app/*',
      '../store/*',
      '../ingest/*',
      '../receiver/*',
      '../commands/*',
      '../program.js',
    ],
    'ui/ draws state/: it reads no store, ingest or app directly.',
  ],
  [
    'src/app/**',
    ['../ui/*', '../commands/*', '../cli/*', '../program.js', ...UI_LIBS],
    'app/ is below the command line and the UI.',
  ],
  [
    'src/cli/**',
    ['../ui/*', '../commands/*', '../program.js', ...UI_LIBS],
    'cli/ holds what commands share; it imports no command.',
  ],
  [
    'src/commands/**',
    ['../program.js', ...UI_LIBS],
    'a command takes shared helpers from cli/, never from program.ts; React and Ink load only in ui/.',
  ],
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.bench/**', 'fixtures/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Type-aware rules on the shipped code: unawaited or misused promises, unsafe any, needless casts.
  ...tseslint.configs.recommendedTypeCheckedOnly.map((c) => ({ ...c, files: ['src/**/*.{ts,tsx}'] })),
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  // luxon only through domain/luxon.ts, which sets the locale before the first date is made.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/domain/luxon.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='luxon']",
          message: 'import luxon through src/domain/luxon.ts (it sets the locale before the first date).',
        },
      ],
    },
  },
  ...layers.map(([files, forbidden, message]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: forbidden, message }] }] },
  })),
);
