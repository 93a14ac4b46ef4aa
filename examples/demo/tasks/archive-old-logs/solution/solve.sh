#!/bin/sh
set -e
python3 tools/archive.py
