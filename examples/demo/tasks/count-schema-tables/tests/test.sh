#!/bin/sh
[ "$(tr -d ' \n' < tables.txt 2>/dev/null)" = "3" ] || { echo "FAIL: tables.txt should hold 3"; exit 1; }
echo PASS
