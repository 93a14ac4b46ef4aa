#!/bin/sh
[ "$(tr -d ' \n' < total.txt 2>/dev/null)" = "600" ] || { echo "FAIL: total.txt should hold 600"; exit 1; }
echo PASS
