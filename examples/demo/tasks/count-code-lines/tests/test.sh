#!/bin/sh
[ "$(tr -d ' \n' < loc.txt 2>/dev/null)" = "6" ] || { echo "FAIL: loc.txt should hold 6"; exit 1; }
echo PASS
