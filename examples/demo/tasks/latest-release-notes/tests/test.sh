#!/bin/sh
[ "$(cat latest.txt 2>/dev/null)" = "3.2.0" ] || { echo "FAIL: latest.txt should be 3.2.0"; exit 1; }
echo PASS
