// Flat ESLint config: typescript-eslint's recommended rules on every package and action.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/fixtures/**',
      '**/__fixtures__/**',
      'coverage/**',
      'packages/demo/output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Outside text is inert (issue 12): code that runs inside an action prints only through action-kit's
    // actionsLogger / failStep, which neutralise workflow commands. A raw write here could forward a container's
    // `::add-mask::…` line to the runner.
    files: ['actions/*/src/**/*.ts', 'packages/{action-kit,aws-kit,ecs-kit}/src/**/*.ts'],
    ignores: ['packages/action-kit/src/logger.ts', 'packages/action-kit/src/run.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        ...['info', 'debug', 'notice', 'warning', 'error', 'startGroup', 'group', 'setFailed'].map(
          (property) => ({
            object: 'core',
            property,
            message:
              'print through actionsLogger / failStep from @hokusai/action-kit: they make outside text inert',
          }),
        ),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='@actions/core'] ImportSpecifier[imported.name=/^(info|debug|notice|warning|error|startGroup|group|setFailed)$/]",
          message:
            'print through actionsLogger / failStep from @hokusai/action-kit: they make outside text inert',
        },
        {
          selector:
            "MemberExpression[object.object.name='process'][object.property.name=/^(stdout|stderr)$/]",
          message: 'print through actionsLogger from @hokusai/action-kit: it makes outside text inert',
        },
      ],
    },
  },
);
