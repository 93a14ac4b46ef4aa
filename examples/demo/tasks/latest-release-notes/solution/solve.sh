#!/bin/sh
set -e
sed -n 's/^## \([0-9.]*\) .*/\1/p' CHANGELOG.md | head -1 > latest.txt
