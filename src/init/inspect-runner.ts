// The episode script `init` writes for an Inspect evals repo: one episode = one Inspect sample, its score turned
// into the episode protocol's result.json (an `inspect eval` that ran exits 0 whatever the score).

/** The file init writes at the repository root; suite.run names it, so it is part of the evaluator. */
export const INSPECT_RUNNER_FILE = 'self-harness-inspect.py';

/** `suite.run` for one `@task` (`path/to/file.py@task_name`). */
export function inspectRunCommand(taskRef: string): string {
  return `python3 ${INSPECT_RUNNER_FILE} ${taskRef}`;
}

export const INSPECT_RUNNER_SCRIPT = `#!/usr/bin/env python3
"""Runs one self-harness episode as one Inspect sample (written by \`self-harness init\`; edit freely).

Usage: python3 ${INSPECT_RUNNER_FILE} TASK_FILE.py@TASK [inspect eval options...]
Runs \`inspect eval\` for the sample $SELF_HARNESS_TASK names (\`<task>:<sample id>\`, as self-harness-tasks.txt and
\`self-harness import\` name Inspect samples; a bare sample id works too) with a JSON log in $SELF_HARNESS_OUT/logs, then writes
$SELF_HARNESS_OUT/result.json from the sample's score (C/true/1 -> reward 1, P -> 0.5, I/N/false/0 -> 0).
The model comes from INSPECT_EVAL_MODEL (suite.env in .self-harness.yml).
"""
import glob
import json
import os
import shutil
import subprocess
import sys

if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
    print("usage: python3 ${INSPECT_RUNNER_FILE} TASK_FILE.py@TASK [inspect eval options...]", file=sys.stderr)
    sys.exit(2)
if shutil.which("inspect") is None:
    print("inspect: not found; install Inspect (pip install inspect-ai) where episodes run", file=sys.stderr)
    sys.exit(127)


def sample_id_of(task_id, task_ref):
    """The sample id in a task id \`<task>:<sample id>\`; a bare sample id is returned as it is."""
    name = task_ref.rsplit("@", 1)[1] if "@" in task_ref else None
    if name and task_id.startswith(name + ":"):
        return task_id[len(name) + 1:]
    return task_id if name else task_id.split(":", 1)[-1]


out = os.environ["SELF_HARNESS_OUT"]
logs = os.path.join(out, "logs")
sample_id = sample_id_of(os.environ["SELF_HARNESS_TASK"], sys.argv[1])
command = ["inspect", "eval", sys.argv[1], "--sample-id", sample_id, "--epochs", "1",
           "--log-dir", logs, "--log-format", "json", *sys.argv[2:]]
code = subprocess.call(command, stdout=sys.stderr)


def write_result(result):
    with open(os.path.join(out, "result.json"), "w") as f:
        json.dump(result, f)


def reward_of(value):
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return min(max(float(value), 0.0), 1.0)
    if isinstance(value, str):
        return {"C": 1.0, "P": 0.5, "I": 0.0, "N": 0.0}.get(value.upper(), 1.0 if value.lower() in ("true", "yes", "correct") else 0.0)
    if isinstance(value, dict) and value:
        return sum(reward_of(v) for v in value.values()) / len(value)
    return 0.0


files = sorted(glob.glob(os.path.join(logs, "*.json")))
if not files:
    # inspect did not start the eval (bad task reference, missing model or key): not the agent's failure.
    write_result({"error": {"type": "InspectNoLog", "infrastructure": True,
                            "message": "inspect eval exited %d without writing a log; see stderr.txt" % code}})
    sys.exit(0)
with open(files[-1]) as f:
    log = json.load(f)
samples = log.get("samples") or []
if not samples:
    error = (log.get("error") or {}).get("message") or "status %s, no sample %s" % (log.get("status"), sample_id)
    write_result({"error": {"type": "InspectNoSample", "message": str(error)[:2000], "infrastructure": True}})
    sys.exit(0)
sample = samples[0]
scores = sample.get("scores") or {}
values = [reward_of(score.get("value")) for score in scores.values() if isinstance(score, dict)]
result = {"reward": sum(values) / len(values) if values else 0.0}
if sample.get("error"):
    result["error"] = {"type": "SampleError", "message": str((sample["error"] or {}).get("message", sample["error"]))[:2000]}
elif not values:
    result["error"] = {"type": "NoScore", "message": "the sample has no score"}
usage = [u for u in (sample.get("model_usage") or {}).values() if isinstance(u, dict)]
if usage:
    result["usage"] = {"input_tokens": sum(u.get("input_tokens", 0) for u in usage),
                       "output_tokens": sum(u.get("output_tokens", 0) for u in usage)}
write_result(result)
`;
