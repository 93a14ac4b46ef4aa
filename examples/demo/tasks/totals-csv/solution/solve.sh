#!/bin/sh
set -e
{ echo name,total; awk '{ s[$1] += $2 } END { for (n in s) print n "," s[n] }' expenses.txt | sort -t, -k2 -nr; } > totals.csv
