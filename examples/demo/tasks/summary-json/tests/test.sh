#!/bin/sh
python3 - <<'PY'
import json, sys
try: got = json.load(open("summary.json"))
except Exception as e:
    open(__import__("os").environ["LOGS_DIR"] + "/reward.json", "w").write('{"reward": 0}')
    sys.exit("FAIL: summary.json missing or not JSON: %s" % e)
ok = got == {"count": 5, "min": 4, "max": 23} and all(type(v) is int for v in got.values())
open(__import__("os").environ["LOGS_DIR"] + "/reward.json", "w").write(json.dumps({"reward": 1 if ok else 0}))
print("PASS" if ok else "FAIL: summary.json is %s" % got)
PY
