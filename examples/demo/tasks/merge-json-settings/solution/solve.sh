#!/bin/sh
set -e
python3 -c 'import json; d = json.load(open("defaults.json")); d.update(json.load(open("local.json"))); json.dump(d, open("merged.json", "w"))'
