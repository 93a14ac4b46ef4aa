// ESLint flat config: eslint's and typescript-eslint's recommended rules; Prettier owns layout, so no style rules here.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'test/fixtures/', 'examples/demo/', '**/.self-harness/'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Control characters are matched on purpose: untrusted text is stripped of them before it is shown or logged.
      'no-control-regex': 'off',
      // A leading underscore marks a binding kept only to leave it out of a rest object or argument list.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests, doubles and scripts read JSON they wrote or recorded themselves; typing every probe would be churn.
    files: ['test/**', 'scripts/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The webhook payload is untrusted JSON of many shapes; these files read it field by field with typeof checks.
    files: ['src/action/context.ts', 'src/action/route.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
