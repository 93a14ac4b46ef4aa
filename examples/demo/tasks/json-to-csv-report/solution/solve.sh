#!/bin/sh
set -e
python3 - <<'PY'
import json
orders = sorted(json.load(open("orders.json")), key=lambda o: o["id"])
with open("orders.csv", "w") as out:
    out.write("id,customer,total\n")
    for o in orders: out.write("%d,%s,%.2f\n" % (o["id"], o["customer"], o["total"]))
PY
