#!/bin/sh
echo "compressing old logs..."
sleep 85
python3 tools/archive.py
