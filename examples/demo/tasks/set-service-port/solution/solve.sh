#!/bin/sh
set -e
sed -i 's/8080/9090/g' service.conf
