#!/bin/sh
[ "$(tr -d ' \n' < sum.txt 2>/dev/null)" = "50" ] || { echo "FAIL: sum.txt should hold 50"; exit 1; }
echo PASS
