#!/bin/sh
set -e
awk '/PASS/ { p++ } END { printf "%.1f%%\n", 100 * p / NR }' results.txt > rate.txt
