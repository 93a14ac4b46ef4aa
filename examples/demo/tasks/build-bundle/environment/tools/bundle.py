import os
os.makedirs("dist", exist_ok=True)
parts = sorted(os.listdir("src"))
with open("dist/bundle.txt", "w") as out:
    out.write("# bundle of %d files\n" % len(parts))
    for name in parts:
        with open(os.path.join("src", name)) as part:
            out.write("## " + name + "\n" + part.read())
