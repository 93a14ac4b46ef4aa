#!/bin/sh
[ -f db.csv ] || { echo "FAIL: db.csv was not created (the import did not run)"; exit 1; }
[ -f rows.txt ] || { echo "FAIL: rows.txt is missing"; exit 1; }
[ "$(tr -d ' \n' < rows.txt)" = "9" ] || { echo "FAIL: expected 9 rows, got $(cat rows.txt)"; exit 1; }
echo PASS
