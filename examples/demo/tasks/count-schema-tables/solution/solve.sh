#!/bin/sh
set -e
grep -c '^CREATE TABLE' "$(find . -name schema.sql | head -1)" > tables.txt
