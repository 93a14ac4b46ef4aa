// The one source of the three workflows (evolve on a schedule, the validation gate, comment commands): `init` writes
// them and docs/action.md shows them (scripts/gen-workflow-docs.ts; a test keeps the docs in step; .ci/run lints both).

export interface WorkflowOptions {
  /** `owner/repo@ref` of the action. */
  action: string;
  /** The config file, relative to the repository root. */
  configPath: string;
  /** The state directory (episodes, reports), relative to the repository root: cached between runs. */
  stateDir: string;
  /** Env var holding the model key (also handed to the agent's episodes). */
  apiKeyEnv: string;
  /** Steps that install what the episodes run (Harbor, Inspect, the project's dependencies), before the action. */
  setup?: SetupStep[];
}

/** One `run:` step of a workflow. */
export interface SetupStep {
  name: string;
  /** Shell lines. */
  run: string[];
}

/** Third-party actions pinned by full commit SHA with the release they are (a tag can be moved; a SHA cannot). */
export const PINNED = {
  checkout: 'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
  cache: 'actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809 # v4.2.4',
  cacheRestore: 'actions/cache/restore@0400d5f644dc74513175e3cd8d07132dd4860809 # v4.2.4',
  uploadArtifact: 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2',
} as const;

const HEADER = '# Written by `self-harness init`. Edit freely; `self-harness init --force` rewrites it.\n';

function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Checkout with history (merge bases, the bot branch) and no token left in .git/config (episodes run in it). */
function checkoutStep(ref?: string): string {
  return [
    `      - uses: ${PINNED.checkout}`,
    '        with:',
    '          fetch-depth: 0',
    "          # The agent's episodes run in this checkout; the action passes its token to each git command itself.",
    '          persist-credentials: false',
    ...(ref ? [`          ref: ${ref}`] : []),
  ].join('\n');
}

/**
 * The state directory from earlier runs, so a rerun (or the next run) reuses the episodes already run. Only the
 * scheduled evolve run saves it; pull request and command runs restore it and never write what others restore.
 */
function cacheStep(options: WorkflowOptions, kind: string, save: boolean): string {
  return [
    `      - uses: ${save ? PINNED.cache : PINNED.cacheRestore}`,
    '        with:',
    `          path: ${quoted(options.stateDir)}`,
    `          key: self-harness-${kind}-\${{ github.run_id }}`,
    '          restore-keys: self-harness-',
  ].join('\n');
}

function setupSteps(options: WorkflowOptions): string {
  return (options.setup ?? [])
    .map((step) => [`      - name: ${quoted(step.name)}`, '        run: |', ...step.run.map((line) => `          ${line}`)].join('\n') + '\n')
    .join('');
}

/**
 * The action step. Episodes that call `self-harness` (the reference agent) find the CLI the action ships on PATH: the
 * action puts its own dist/cli.js there, so no step installs a package for it.
 */
function actionStep(options: WorkflowOptions, inputs: string[]): string {
  return [
    '      - id: self-harness',
    `        uses: ${options.action}`,
    '        with:',
    `          config: ${quoted(options.configPath)}`,
    ...inputs.map((line) => `          ${line}`),
    "          # The proposer's model key (without one, the pattern library proposes edits).",
    `          model-api-key: \${{ secrets.${options.apiKeyEnv} }}`,
    '        env:',
    "          # For the agent's own episodes (suite.run), when it calls a model.",
    `          ${options.apiKeyEnv}: \${{ secrets.${options.apiKeyEnv} }}`,
  ].join('\n');
}

/** The JSON report as an artifact: the check run and PR link to the run, where it can be downloaded. */
function uploadStep(kind: string): string {
  return [
    "      - if: always() && steps.self-harness.outputs.report-path != ''",
    `        uses: ${PINNED.uploadArtifact}`,
    '        with:',
    `          name: self-harness-${kind}-report`,
    '          path: ${{ steps.self-harness.outputs.report-path }}',
    '          if-no-files-found: ignore',
  ].join('\n');
}

export function evolveWorkflow(options: WorkflowOptions): string {
  return `${HEADER}name: self-harness evolve
on:
  schedule:
    - cron: '23 5 * * 1' # weekly, Monday 05:23 UTC
  workflow_dispatch:
    inputs:
      rounds:
        description: Evolution rounds (empty = evolve.rounds of the config)
        required: false
        default: ''
permissions: {}
concurrency:
  group: self-harness-evolve
  cancel-in-progress: false
jobs:
  evolve:
    runs-on: ubuntu-latest
    timeout-minutes: 360
    permissions:
      contents: write # push the bot branch
      pull-requests: write # open or update the bot's pull request
      checks: write # the regression-validation check on the bot's head (its push starts no workflow)
    steps:
${checkoutStep()}
${cacheStep(options, 'evolve', true)}
${setupSteps(options)}${actionStep(options, ['mode: evolve', 'rounds: ${{ inputs.rounds }}'])}
${uploadStep('evolve')}
`;
}

export function validateWorkflow(options: WorkflowOptions): string {
  return `${HEADER}name: self-harness validate
# Every pull request and merge-queue group gets the check (require it in a ruleset): one that touches no harness
# file gets a success at once, without running the suite.
on:
  pull_request:
    types: [opened, synchronize, reopened]
  merge_group:
    types: [checks_requested]
permissions: {}
concurrency:
  # A new push cancels the validation of the stale head.
  group: self-harness-validate-\${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: true
jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 180
    permissions:
      checks: write # post the regression-validation check run
      contents: read
      pull-requests: read
    steps:
${checkoutStep('${{ github.event.pull_request.head.sha }}')}
${cacheStep(options, 'validate', false)}
${setupSteps(options)}${actionStep(options, ['mode: validate'])}
${uploadStep('validate')}
`;
}

export function commandsWorkflow(options: WorkflowOptions): string {
  return `${HEADER}name: self-harness commands
on:
  issue_comment:
    types: [created]
permissions: {}
jobs:
  command:
    # Only comments on pull requests that start with the command prefix; the action checks the commenter's permission.
    if: \${{ github.event.issue.pull_request && startsWith(github.event.comment.body, '/self-harness') }}
    # On the job, not the workflow: a skipped job (any other comment) never joins the group, so it cannot replace a
    # command waiting in it (a group keeps one pending run and cancels the older one).
    concurrency:
      group: self-harness-pr-\${{ github.event.issue.number }}
      cancel-in-progress: false
    runs-on: ubuntu-latest
    timeout-minutes: 360
    permissions:
      checks: write # /self-harness validate posts a check run
      contents: write # /self-harness evolve pushes the bot branch
      issues: write # reactions and replies on the comment
      pull-requests: write # replies and the bot's pull request
    steps:
${checkoutStep()}
${cacheStep(options, 'command', false)}
${setupSteps(options)}${actionStep(options, [])}
${uploadStep('command')}
`;
}

/** The three workflows as init writes them, by file name under .github/workflows/. */
export function workflowFiles(options: WorkflowOptions): Record<string, string> {
  return {
    'self-harness-evolve.yml': evolveWorkflow(options),
    'self-harness-validate.yml': validateWorkflow(options),
    'self-harness-commands.yml': commandsWorkflow(options),
  };
}
