names = ["test_%02d" % i for i in range(1, 44)]
failed = {"test_07", "test_31"}
with open("report.txt", "w") as out:
    for n in names:
        out.write("%s %s\n" % (n, "FAILED" if n in failed else "passed"))
    out.write("summary: %d passed, %d failed\n" % (len(names) - len(failed), len(failed)))
