#!/bin/sh
set -e
python3 -c 'import json; n = [int(x) for x in open("numbers.txt").read().split()]; json.dump({"count": len(n), "min": min(n), "max": max(n)}, open("summary.json", "w"))'
