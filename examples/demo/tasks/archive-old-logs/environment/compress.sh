#!/bin/sh
echo "compressing old logs..."
sleep 40
python3 tools/archive.py
