#!/bin/sh
printf 'ash\nbea\njon\nmira\nzoe\n' > /tmp/expected-names.$$
if cmp -s /tmp/expected-names.$$ names.txt; then rm -f /tmp/expected-names.$$; echo PASS; else rm -f /tmp/expected-names.$$; echo "FAIL: names.txt is not the sorted list of names"; exit 1; fi
