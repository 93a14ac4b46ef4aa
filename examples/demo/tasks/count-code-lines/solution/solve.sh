#!/bin/sh
set -e
cat src/*.py | grep -v '^[[:space:]]*$' | grep -cv '^[[:space:]]*#' > loc.txt
