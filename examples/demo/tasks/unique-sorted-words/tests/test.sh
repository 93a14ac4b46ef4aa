#!/bin/sh
printf 'apple\nbanana\ncherry\nkiwi\npear\n' > "$LOGS_DIR/expected.txt"
if cmp -s "$LOGS_DIR/expected.txt" unique.txt; then echo 1 > "$LOGS_DIR/reward.txt"; echo PASS; else echo 0 > "$LOGS_DIR/reward.txt"; echo "FAIL: unique.txt is not the distinct lower-cased words"; fi
