#!/bin/sh
python3 - <<'PY' || exit 1
import json, sys
problems = []
if open("VERSION").read().strip() != "1.5.0": problems.append("VERSION")
pkg = json.load(open("package.json"))
if pkg.get("version") != "1.5.0": problems.append("package.json version")
if pkg.get("dependencies", {}).get("left-pad") != "1.4.2": problems.append("package.json dependency left-pad changed")
if '__version__ = "1.5.0"' not in open("src/version.py").read(): problems.append("src/version.py")
sys.exit("FAIL: wrong version in " + ", ".join(problems) if problems else 0)
PY
echo PASS
