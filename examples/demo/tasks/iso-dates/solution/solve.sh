#!/bin/sh
set -e
awk -F/ '{ printf "%s-%s-%s\n", $3, $1, $2 }' dates.txt > iso.txt
