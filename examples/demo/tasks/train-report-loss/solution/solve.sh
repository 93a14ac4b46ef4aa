#!/bin/sh
set -e
python3 tools/metrics.py
python3 -c 'import json; print(json.load(open("model/metrics.json"))["epochs"][-1]["loss"])' > loss.txt
