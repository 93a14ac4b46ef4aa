#!/bin/sh
[ "$(tr -d ' \n' < open.txt 2>/dev/null)" = "3" ] || { echo "FAIL: open.txt should hold 3"; exit 1; }
echo PASS
