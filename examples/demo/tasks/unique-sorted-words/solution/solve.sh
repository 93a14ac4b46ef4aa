#!/bin/sh
set -e
tr ' ' '\n' < words.txt | tr 'A-Z' 'a-z' | grep -v '^$' | sort -u > unique.txt
