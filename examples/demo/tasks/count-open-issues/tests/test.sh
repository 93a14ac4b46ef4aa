#!/bin/sh
[ "$(tr -d ' \n' < open_count.txt 2>/dev/null)" = "5" ] || { echo "FAIL: open_count.txt should hold 5"; exit 1; }
echo PASS
