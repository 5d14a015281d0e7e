#!/bin/sh
# SPDX-License-Identifier: MIT
# search --batch throughput for `make bench` (docs/benchmarks.md): a counterparty sheet of
# N names (default 100,000; names of several cultures and scripts, every 50th a listed
# name) screened in one process against the 2019 SDN, in names/s; the same against one
# `ttscreen search NAME` process per name, measured on a sample of 200 and scaled; and the
# peak memory of a tenth of the sheet against the whole (flat in the batch size).
#   sh tests/bench/batch.sh BINARY SCRATCH [N]
set -eu
BIN=$1
S=$2/batch
N=${3:-${BENCH_NAMES:-100000}}
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_DB
DB="$S/lists.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$FX/lists/ofac-sdn-2019-01/alt.csv" \
    --format sdn-csv --db "$DB" >/dev/null

python3 - "$BIN" "$DB" "$S" "$N" "$FX/lists/ofac-sdn-2019-01/sdn.csv" <<'PY'
import csv, random, resource, subprocess, sys, time
binary, db, s, n, sdn = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
rnd = random.Random(7)
listed = [r[1] for r in csv.reader(open(sdn, encoding="utf-8")) if len(r) > 2 and r[1].isascii()]
first = ["Hiroshi", "Yuki", "Wei", "Li", "Olga", "Ivan", "Maria", "Jose", "Ahmed", "Fatima",
         "Chen", "Anna", "Kenji", "Sakura", "Dmitri", "Elena", "Omar", "Aisha", "Min-jun", "Ji-woo"]
last = ["Tanaka", "Suzuki", "Wang", "Zhang", "Ivanova", "Petrov", "Garcia", "Lopez", "Hassan",
        "Rahman", "Kim", "Park", "Nguyen", "Schmidt", "Rossi", "Kowalski", "Yilmaz", "Singh"]
org_a = ["Hokuriku", "Kansai", "Pacific", "Northern", "Golden", "Orient", "Summit", "Harbor",
         "Meridian", "Evergreen", "Sakura", "Fuji", "Zenith", "Apex", "Nova", "Lotus", "Pioneer"]
org_b = ["Precision", "Electronics", "Materials", "Optics", "Robotics", "Semiconductor", "Battery",
         "Chemical", "Aerospace", "Marine", "Photonics", "Software", "Instruments", "Alloys"]
org_c = ["Co., Ltd.", "K.K.", "Inc.", "GmbH", "Limited", "Corporation", "S.A.", "LLC", "OOO"]
han = ["北陸精密鋳造株式会社", "関西光学硝子", "东方电子有限公司", "太平洋材料股份有限公司", "ソニック工業"]
def name(i):
    if i % 50 == 0:
        return rnd.choice(listed)
    k = i % 5
    if k == 0:
        return "%s %s" % (rnd.choice(first), rnd.choice(last))
    if k == 4:
        return rnd.choice(han) + str(i % 97)
    return "%s %s %s %d" % (rnd.choice(org_a), rnd.choice(org_b), rnd.choice(org_c), i % 1000)
names = [name(i) for i in range(n)]
def sheet(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,country\n")
        for i, nm in enumerate(rows):
            f.write('v%d,"%s",JP\n' % (i, nm.replace('"', '""')))
sheet(s + "/all.csv", names)
sheet(s + "/tenth.csv", names[: n // 10])
def run(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    p = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        sys.exit("bench: %s exited %d" % (args[1], p.returncode))
    return dt, after.ru_maxrss
dt_all, rss_all = run([binary, "search", "--batch", s + "/all.csv", "--db", db, "-o", s + "/all.out", "--quiet"])
dt_tenth, _ = run([binary, "search", "--batch", s + "/tenth.csv", "--db", db, "-o", s + "/tenth.out", "--quiet"])
# the tenth alone, for its peak (RUSAGE_CHILDREN keeps the largest child so far: measure it first)
p = subprocess.run(["python3", "-c", "import resource,subprocess,sys; subprocess.run(sys.argv[1:], "
                    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                    binary, "search", "--batch", s + "/tenth.csv", "--db", db, "-o", s + "/t2.out", "--quiet"],
                   capture_output=True, text=True)
rss_tenth = int(p.stdout.strip() or 0)
sample = names[:: max(1, n // 200)][:200]
t = time.monotonic()
for nm in sample:
    subprocess.run([binary, "search", nm, "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
per_process = (time.monotonic() - t) / len(sample)
print("batch bench: %d names against the 2019 SDN (one process)" % n)
print("  search --batch: %.2fs, %.0f names/s; a tenth of it: %.2fs" % (dt_all, n / dt_all, dt_tenth))
print("  one process per name: %.1f ms each (200 sampled), %.0fs for %d names" % (per_process * 1000, per_process * n, n))
print("  batch / one process per name: %.4f (%.0fx faster)" % (dt_all / (per_process * n), per_process * n / dt_all))
print("  peak memory: %d MiB for %d names, %d MiB for %d (ratio %.2f)" % (rss_all // 1024, n, rss_tenth // 1024, n // 10, rss_all / max(rss_tenth, 1)))
PY
