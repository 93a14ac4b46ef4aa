#!/bin/sh
expected='# bundle of 3 files
## a.txt
alpha
## b.txt
bravo
## c.txt
charlie'
[ -f dist/bundle.txt ] || { echo "FAIL: dist/bundle.txt is missing"; exit 1; }
[ "$(cat dist/bundle.txt)" = "$expected" ] || { echo "FAIL: dist/bundle.txt has the wrong content"; exit 1; }
echo "PASS"
