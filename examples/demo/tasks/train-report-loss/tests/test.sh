#!/bin/sh
[ -f loss.txt ] || { echo "FAIL: loss.txt is missing"; echo 0 > "$LOGS_DIR/reward.txt"; exit 0; }
if [ "$(tr -d ' \n' < loss.txt)" = "0.127" ]; then echo 1 > "$LOGS_DIR/reward.txt"; echo PASS; else echo "FAIL: expected loss 0.127, got $(cat loss.txt)"; echo 0 > "$LOGS_DIR/reward.txt"; fi
