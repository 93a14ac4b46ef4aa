#!/bin/sh
set -e
sed -n 's/^port = //p' "$(find . -name app.ini | head -1)" > port.txt
