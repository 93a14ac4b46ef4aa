#!/bin/sh
python3 - <<'PY'
import gzip, os, sys
want_archive = ["2026-01-15.log.gz", "2026-02-20.log.gz"]
want_logs = ["2026-03-01.log", "2026-03-09.log"]
got_archive = sorted(os.listdir("archive")) if os.path.isdir("archive") else []
got_logs = sorted(os.listdir("logs"))
if got_archive != want_archive: sys.exit("FAIL: archive/ holds %s, expected %s" % (got_archive, want_archive))
if got_logs != want_logs: sys.exit("FAIL: logs/ holds %s, expected %s" % (got_logs, want_logs))
if gzip.open("archive/2026-01-15.log.gz").read() != b"jan\n": sys.exit("FAIL: archive/2026-01-15.log.gz has the wrong content")
print("PASS")
PY
