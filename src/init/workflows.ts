// The three workflows `self-harness init` writes: evolve (schedule + manual), validate (PRs touching the harness),
// and comment commands. Each asks for the least the job needs.

export interface WorkflowOptions {
  /** `owner/repo@ref` of the action. */
  action: string;
  configPath: string;
  /** Paths whose change triggers validation (harness globs and the config). */
  harnessPaths: string[];
  /** Env var holding the model key (also handed to the agent's episodes). */
  apiKeyEnv: string;
}

const HEADER = '# Written by `self-harness init`. Edit freely; `self-harness init --force` rewrites it.\n';

function modelLines(options: WorkflowOptions, indent: string): string {
  return [
    `${indent}# The proposer's model key (without one, the pattern library proposes edits).`,
    `${indent}model-api-key: \${{ secrets.${options.apiKeyEnv} }}`,
  ].join('\n');
}

function envLines(options: WorkflowOptions, indent: string): string {
  return [`${indent}env:`, `${indent}  # For the agent's own episodes (suite.run), when it calls a model.`, `${indent}  ${options.apiKeyEnv}: \${{ secrets.${options.apiKeyEnv} }}`].join('\n');
}

/** The job's steps: a full-history checkout (at `ref` when given), then the action with its mode and config, the model key and the agent's env. */
function actionSteps(options: WorkflowOptions, step: { ref?: string; mode?: string; withLines?: string[] } = {}): string {
  return `    steps:
      - uses: actions/checkout@v5
        with:
          fetch-depth: 0
${step.ref ? `          ref: ${step.ref}\n` : ''}      - uses: ${options.action}
        with:
${step.mode ? `          mode: ${step.mode}\n` : ''}          config: ${options.configPath}
${(step.withLines ?? []).map((line) => `          ${line}\n`).join('')}${modelLines(options, '          ')}
${envLines(options, '        ')}
`;
}

export function evolveWorkflow(options: WorkflowOptions): string {
  return `${HEADER}name: self-harness evolve
on:
  schedule:
    - cron: '23 5 * * 1' # weekly, Monday 05:23 UTC
  workflow_dispatch:
    inputs:
      rounds:
        description: Evolution rounds
        required: false
        default: ''
permissions:
  contents: write # push the bot branch
  pull-requests: write # open or update the bot's pull request
concurrency:
  group: self-harness-evolve
  cancel-in-progress: false
jobs:
  evolve:
    runs-on: ubuntu-latest
    timeout-minutes: 360
${actionSteps(options, { mode: 'evolve', withLines: ['rounds: ${{ inputs.rounds }}'] })}`;
}

export function validateWorkflow(options: WorkflowOptions): string {
  const paths = [...new Set([...options.harnessPaths, options.configPath])].map((p) => `      - '${p.replace(/'/g, "''")}'`).join('\n');
  return `${HEADER}name: self-harness validate
on:
  pull_request:
    paths:
${paths}
permissions:
  checks: write # post the regression-validation check run
  contents: read
  pull-requests: read
concurrency:
  group: self-harness-validate-\${{ github.event.pull_request.number }}
  cancel-in-progress: true
jobs:
  validate:
    runs-on: ubuntu-latest
    timeout-minutes: 180
${actionSteps(options, { ref: '${{ github.event.pull_request.head.sha }}', mode: 'validate' })}`;
}

export function commandsWorkflow(options: WorkflowOptions): string {
  return `${HEADER}name: self-harness commands
on:
  issue_comment:
    types: [created]
permissions:
  checks: write # /self-harness validate posts a check run
  contents: write # /self-harness evolve pushes the bot branch
  issues: write # reactions and replies on the comment
  pull-requests: write # replies and the bot's pull request
jobs:
  command:
    # Only comments on pull requests that start with the command prefix; the action checks the commenter's permission.
    if: \${{ github.event.issue.pull_request && startsWith(github.event.comment.body, '/self-harness') }}
    runs-on: ubuntu-latest
    timeout-minutes: 360
${actionSteps(options)}`;
}
