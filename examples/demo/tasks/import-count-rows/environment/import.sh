#!/bin/sh
echo "importing raw/*.csv ..."
sleep 80
python3 tools/merge.py
echo "import done"
