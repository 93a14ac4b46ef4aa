#!/bin/sh
set -e
grep -c '^- \[ \]' "$(find . -name TODO.md | head -1)" > open.txt
