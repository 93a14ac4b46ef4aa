#!/bin/sh
for case in "2 3 5" "-4 10 6" "0 0 0" "100 -1 99"; do
  set -- $case
  got=$(sh calc.sh "$1" "$2" 2>&1)
  [ "$got" = "$3" ] || { echo "FAIL: calc.sh $1 $2 printed '$got', expected $3"; exit 1; }
done
echo PASS
