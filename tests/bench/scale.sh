#!/bin/sh
# SPDX-License-Identifier: MIT
# Lists of 100,000 to millions of entries, for `make bench` (docs/benchmarks.md): for each
# size, a list made by tests/bench/genlist.py (deterministic; names of several cultures and
# scripts) is imported into its own database, then measured:
#   import       wall time and peak resident size of `ttscreen lists import`
#   first search `ttscreen search NAME` from process start to exit (its answer printed),
#                median of 5 runs with 5 different names, and its peak resident size (the
#                database and its index file read once before, into the page cache); the
#                same with the index file moved away (the index built from the rows, as
#                every process did before the index file), 1 run
#   queries      build/bench_lists --db: 1,000 names (listed, perturbed and absent ones)
#                through one read-only lists handle: median and p99 per query, peak RSS
# and the first-search time of each size against the smallest (goal: 1,000,000 entries
# within 3x of 100,000).
#   sh tests/bench/scale.sh BINARY BENCH_LISTS SCRATCH "SIZES"
# The generated lists are kept in SCRATCH/scale (list-N.csv) and reused by the next run; with
# SCALE_REUSE=1 the databases of an earlier run are reused too (no import, no import figures),
# to measure the sizes again back to back.
set -eu
BIN=$1
BL=$2
S=$3/scale
SIZES=${4:-100000 1000000 5000000}
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_DB
HERE=$(dirname "$0")

python3 - "$BIN" "$BL" "$S" "$HERE/genlist.py" $SIZES <<'PY'
import os, shutil, subprocess, sys, time
binary, bl, s, gen = sys.argv[1:5]
sizes = [int(x) for x in sys.argv[5:]]

def run(argv, out=subprocess.DEVNULL):
    """Wall seconds and peak RSS (MB) of one process, its exit status."""
    t = time.monotonic()
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_maxrss / 1024.0, p.returncode, err

rows = []
for n in sizes:
    lst = f"{s}/list-{n}.csv"
    if not os.path.exists(lst):
        with open(lst + ".tmp", "w") as f:
            subprocess.run([sys.executable, gen, str(n)], stdout=f, check=True)
        os.rename(lst + ".tmp", lst)
    qf = f"{s}/queries-{n}.txt"
    with open(qf, "w") as f:
        subprocess.run([sys.executable, gen, str(n), "20261203", "--queries", "1001"], stdout=f,
                       check=True)
    queries = [l.rstrip("\n") for l in open(qf, encoding="utf-8")]
    db = f"{s}/db-{n}.db"
    reuse = os.environ.get("SCALE_REUSE") == "1" and os.path.exists(db + "-index")
    for suffix in ("", "-wal", "-shm", "-journal", "-index"):
        if not reuse and os.path.exists(db + suffix):
            os.remove(db + suffix)
    imp = None
    if not reuse:
        wall, rss, rc, err = run([binary, "lists", "import", "gen", lst, "--format",
                                  "ttscreen-csv", "--db", db])
        if rc != 0:
            sys.exit(f"scale: import of {n} entries failed: {err.strip()}")
        imp = (wall, rss)
    dbmb = os.path.getsize(db) / 1048576.0
    idxmb = os.path.getsize(db + "-index") / 1048576.0 if os.path.exists(db + "-index") else 0
    # the files read once first, so that the first searches measure the process, not the
    # disk: a database reused from an earlier run may have left the page cache meanwhile
    for f in (db, db + "-index"):
        if os.path.exists(f):
            with open(f, "rb") as fh:
                while fh.read(8 << 20):
                    pass
    firsts = []
    for q in queries[:5]:
        wall, rss, rc, err = run([binary, "search", q, "--db", db])
        if rc not in (0, 1):
            sys.exit(f"scale: search failed: {err.strip()}")
        firsts.append((wall, rss))
    firsts.sort()
    first = firsts[len(firsts) // 2]
    first_rss = max(r for _, r in firsts)
    # the index file moved away: searches build the index from the rows (read-only, no rewrite)
    os.rename(db + "-index", db + "-index.away")
    wall, rss, rc, err = run([binary, "search", queries[0], "--db", db])
    rebuilt = (wall, rss)
    os.rename(db + "-index.away", db + "-index")
    p = subprocess.run([bl, "--db", db, qf], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"scale: {bl} --db of {n} entries exited with status {p.returncode}: "
                 f"{p.stderr.strip()}")
    out = p.stdout
    print(f"scale: {n} entries: " +
          (f"import {imp[0]:.1f} s (peak RSS {imp[1]:.0f} MB); " if imp else "") +
          f"database {dbmb:.0f} MB, index file {idxmb:.0f} MB", flush=True)
    print(f"scale: {n} entries: ttscreen search, start to exit: median {first[0] * 1e3:.1f} ms "
          f"(peak RSS {first_rss:.0f} MB) with the index file; {rebuilt[0] * 1e3:.0f} ms "
          f"(peak RSS {rebuilt[1]:.0f} MB) building the index from the rows", flush=True)
    print(f"scale: {n} entries: bench_lists: {out.strip()}", flush=True)
    rows.append((n, first[0], rebuilt[0]))
if rows:
    n0, f0, r0 = rows[0]
    for n, f, r in rows[1:]:
        print(f"scale: first search, {n} entries against {n0}: {f / f0:.2f}x with the index "
              f"file (goal for 1,000,000 against 100,000: within 3x); {r / r0:.2f}x building "
              f"from the rows")
PY
