#!/bin/sh
set -e
python3 tools/report.py
grep -c ' FAILED$' report.txt > failed.txt
