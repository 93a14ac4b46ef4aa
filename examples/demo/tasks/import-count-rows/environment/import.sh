#!/bin/sh
echo "importing raw/*.csv ..."
sleep 30
python3 tools/merge.py
echo "import done"
