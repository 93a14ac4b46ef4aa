#!/bin/sh
set -e
python3 - <<'PY'
import json
out = {}
for line in open("config.yaml"):
    if ":" not in line: continue
    key, value = (part.strip() for part in line.split(":", 1))
    out[key] = int(value) if value.isdigit() else {"true": True, "false": False}.get(value, value)
json.dump(out, open("config.json", "w"), indent=2)
PY
