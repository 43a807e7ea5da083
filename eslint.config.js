import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Invariant 1 of ARCHITECTURE.md: the core is platform-neutral.
    files: [
      'src/isa/**',
      'src/vm/**',
      'src/rts/**',
      'src/system/**',
      'src/lang/**',
      'src/trace/**',
      'src/errors/**',
      'src/hal/*.ts',
      'src/hal/sim/**',
      'src/hal/boards/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process'],
              message: 'The core must not import Node modules (ARCHITECTURE.md invariant 1).',
            },
          ],
        },
      ],
    },
  },
);
