#!/bin/sh
set -e
sed -i 's/\$1 - \$2/$1 + $2/' calc.sh
