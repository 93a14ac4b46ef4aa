#!/bin/sh
out=$(python3 check_config.py 2>&1) && [ "$out" = "OK" ] || { echo "FAIL: check_config.py says: $out"; exit 1; }
echo PASS
