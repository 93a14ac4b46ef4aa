#!/bin/sh
printf 'Hello, World!\n' > "$LOGS_DIR/greeting.expected"
cmp -s "$LOGS_DIR/greeting.expected" greeting.txt || { echo "FAIL: greeting.txt is not exactly 'Hello, World!' and a newline"; exit 1; }
echo PASS
