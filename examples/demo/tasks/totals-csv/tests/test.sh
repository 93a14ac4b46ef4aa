#!/bin/sh
[ "$(cat totals.csv 2>/dev/null)" = "$(printf 'name,total\ncy,30\nana,20\nbob,6')" ] || { echo "FAIL: totals.csv does not match the required format"; exit 1; }
echo PASS
