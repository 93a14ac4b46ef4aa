import gzip, os, shutil
cutoff = open("cutoff.txt").read().strip()
os.makedirs("archive", exist_ok=True)
for name in sorted(os.listdir("logs")):
    if name.endswith(".log") and name[:10] < cutoff:
        with open(os.path.join("logs", name), "rb") as src, gzip.open(os.path.join("archive", name + ".gz"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        os.remove(os.path.join("logs", name))
