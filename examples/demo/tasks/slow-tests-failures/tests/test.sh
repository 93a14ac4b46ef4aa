#!/bin/sh
[ -f report.txt ] || { echo "FAIL: report.txt missing: the test runner did not finish"; exit 1; }
[ "$(tr -d ' \n' < failed.txt 2>/dev/null)" = "2" ] || { echo "FAIL: failed.txt should hold 2"; exit 1; }
echo PASS
