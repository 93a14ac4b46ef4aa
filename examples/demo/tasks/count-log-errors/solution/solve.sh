#!/bin/sh
set -e
grep -c ERROR "$(find . -name 'app.log*' | head -1)" > errors.txt
