#!/bin/sh
[ "$(tr -d '\n' < rate.txt 2>/dev/null)" = "75.0%" ] || { echo "FAIL: rate.txt should be 75.0%"; exit 1; }
echo PASS
