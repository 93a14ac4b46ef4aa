#!/bin/sh
# Slow build: waits on a (simulated) toolchain, then bundles src/ into dist/bundle.txt.
echo "building..."
sleep 35
python3 tools/bundle.py
echo "build finished"
