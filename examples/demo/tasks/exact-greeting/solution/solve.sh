#!/bin/sh
set -e
printf 'Hello, World!\n' > greeting.txt
