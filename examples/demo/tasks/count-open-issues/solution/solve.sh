#!/bin/sh
set -e
python3 -c 'import json; print(sum(1 for i in json.load(open("issues.json"))["items"] if i["status"] == "open"))' > open_count.txt
