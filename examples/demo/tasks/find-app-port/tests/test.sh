#!/bin/sh
[ "$(tr -d ' \n' < port.txt 2>/dev/null)" = "7311" ] || { echo "FAIL: port.txt should hold 7311"; exit 1; }
echo PASS
