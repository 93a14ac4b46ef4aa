#!/bin/sh
set -e
sed -i 's/"debug": true/"debug": false/' "$(find . -name settings.json | head -1)"
