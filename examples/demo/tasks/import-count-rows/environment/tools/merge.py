import glob
rows = []
for name in sorted(glob.glob("raw/*.csv")):
    with open(name) as f:
        rows += [line for line in f.read().splitlines()[1:] if line.strip()]
with open("db.csv", "w") as out:
    out.write("id,city,amount\n" + "\n".join(rows) + "\n")
