#!/bin/sh
python3 - <<'PY'
import json, sys
try: got = json.load(open("config.json"))
except Exception as e: sys.exit("FAIL: config.json missing or not JSON: %s" % e)
want = {"name": "demo-service", "port": 8080, "debug": False, "workers": 4, "region": "eu-west"}
if got != want: sys.exit("FAIL: config.json is %s, expected %s" % (got, want))
print("PASS")
PY
