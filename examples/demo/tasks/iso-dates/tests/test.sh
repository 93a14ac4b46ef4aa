#!/bin/sh
[ "$(cat iso.txt 2>/dev/null)" = "$(printf '2026-03-14\n2025-12-01\n2026-07-04')" ] || { echo "FAIL: iso.txt is not YYYY-MM-DD"; exit 1; }
echo PASS
