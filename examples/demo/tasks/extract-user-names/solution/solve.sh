#!/bin/sh
set -e
node -e 'const u = require("./users.json"); console.log(u.map((x) => x.name).sort().join("\n"))' > names.txt
