#!/bin/sh
set -e
echo 1.5.0 > VERSION
sed -i 's/"version": "1.4.2"/"version": "1.5.0"/' package.json
sed -i 's/1.4.2/1.5.0/' src/version.py
