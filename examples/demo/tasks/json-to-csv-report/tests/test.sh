#!/bin/sh
expected='id,customer,total
1,al,7.00
2,cy,30.25
3,bo,12.50'
[ "$(cat orders.csv 2>/dev/null)" = "$expected" ] || { echo "FAIL: orders.csv does not match the required format"; exit 1; }
echo PASS
