#!/bin/sh
[ "$(tr -d ' \n' < errors.txt 2>/dev/null)" = "3" ] || { echo "FAIL: errors.txt should hold 3"; exit 1; }
echo PASS
