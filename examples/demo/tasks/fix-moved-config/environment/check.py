import json, os, sys
found = [os.path.join(d, "settings.json") for d, _, files in os.walk(".") if "settings.json" in files]
if not found: sys.exit("settings.json not found")
s = json.load(open(found[0]))
if s != {"debug": False, "workers": 8, "log_level": "info"}: sys.exit("wrong settings: %s" % s)
print("OK")
