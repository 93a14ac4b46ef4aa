#!/bin/sh
python3 - <<'PY'
import json, sys
try: got = json.load(open("merged.json"))
except Exception as e: sys.exit("FAIL: merged.json missing or not JSON: %s" % e)
want = {"theme": "dark", "font_size": 12, "autosave": True, "lang": "fr", "telemetry": False}
sys.exit(0 if got == want else "FAIL: merged.json is %s" % got)
PY
