#!/usr/bin/env python3
"""run_diff.py PELC PEL [options] -- differential testing of the compiler.

Random well-typed programs (tests/fuzz/gen_programs.py: records, variants,
lists, lambdas, comprehensions, match, the array and string builtins) are
run six ways that must agree exactly:

    pelc -O2, PEL_WORKERS=1 (the reference)   pelc -O2, PEL_WORKERS=2
    pelc -O0, PEL_WORKERS=1                   pelc -O0, PEL_WORKERS=2
    pel -O2 (JIT), PEL_WORKERS=2              pel -O0 (JIT), PEL_WORKERS=1

The same stdout, the same stderr (the program's name and its source's path
aside) and the same exit status: the same output and the same first runtime
error, whatever the optimisation level, the tool and the workers. A program
pelc refuses is a finding too (the generator only writes programs that
check). Each disagreement is kept in --keep with the outputs, and the run
ends with status 1.

Options: --count N (programs, default 20), --minutes M (run for M minutes
instead, as many programs as fit), --seed S (the first generator seed,
default 1; each batch of --batch programs takes the next seed), --jobs J
(programs at a time, default 2), --keep DIR (default /tmp/pel-diff-fail).
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "fuzz", "gen_programs.py")
TIMEOUT = 20

RUNS = [  # (name, tool, -O, workers)
    ("pelc-O2-W1", "pelc", "-O2", "1"),
    ("pelc-O2-W2", "pelc", "-O2", "2"),
    ("pelc-O0-W1", "pelc", "-O0", "1"),
    ("pelc-O0-W2", "pelc", "-O0", "2"),
    ("pel-O2-W2", "pel", "-O2", "2"),
    ("pel-O0-W1", "pel", "-O0", "1"),
]


def run(cmd, workers, cwd):
    env = dict(os.environ, PEL_WORKERS=workers)
    for attempt in range(20):
        try:
            p = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT)
            return p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired:
            return "timeout", b"", b""
        except OSError:  # the tools are being rebuilt under a long run
            time.sleep(3)
    raise RuntimeError("cannot run %s" % cmd[0])


def normalise(err, names):
    for n in names:
        err = err.replace(n.encode(), b"PROG")
    return err


def check(args, src):
    """None when the six runs agree, else a description of the first
    disagreement."""
    work = tempfile.mkdtemp(prefix="pel-diff.", dir=args.tmp)
    try:
        prog = os.path.join(work, "prog.pel")
        shutil.copy(src, prog)
        exes = {}
        for opt in ("-O2", "-O0"):
            exe = os.path.join(work, "prog" + opt)
            st, out, err = run([args.pelc, "-w", opt, "prog.pel", "-o", exe], "1", work)
            if st != 0:
                return "pelc %s refused it (status %s): %s" % (opt, st, err.decode(errors="replace")[:400])
            exes[opt] = exe
        results = []
        for name, tool, opt, w in RUNS:
            if tool == "pelc":
                cmd = [exes[opt]]
                names = [exes[opt], os.path.basename(exes[opt])]
            else:
                cmd = [args.pel, "-w", opt, "prog.pel"]
                names = []
            st, out, err = run(cmd, w, work)
            results.append((name, st, out, normalise(err, names + ["prog.pel"])))
        ref = results[0]
        for r in results[1:]:
            if r[1:] != ref[1:]:
                what = "status" if r[1] != ref[1] else "stdout" if r[2] != ref[2] else "stderr"
                return "%s and %s differ in %s:\n  %s: %s %r\n  %s: %s %r" % (
                    ref[0], r[0], what, ref[0], ref[1], (ref[2] + ref[3])[-300:],
                    r[0], r[1], (r[2] + r[3])[-300:])
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pelc")
    ap.add_argument("pel")
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", default="/tmp/pel-diff-fail")
    args = ap.parse_args()
    args.pelc = os.path.abspath(args.pelc)
    args.pel = os.path.abspath(args.pel)
    args.tmp = tempfile.mkdtemp(prefix="pel-diff-run.")
    deadline = time.time() + args.minutes * 60 if args.minutes else None
    start = time.time()
    done = failed = 0
    seed = args.seed
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            while (deadline and time.time() < deadline) or (not deadline and done < args.count):
                n = args.batch if deadline else min(args.batch, args.count - done)
                gen = os.path.join(args.tmp, "gen-%d" % seed)
                subprocess.run([sys.executable, GEN, str(seed), str(n), gen], check=True,
                               stdout=subprocess.DEVNULL)
                files = sorted(os.path.join(gen, f) for f in os.listdir(gen))
                for f, bad in zip(files, pool.map(lambda f: check(args, f), files)):
                    done += 1
                    if bad:
                        failed += 1
                        os.makedirs(args.keep, exist_ok=True)
                        shutil.copy(f, args.keep)
                        print("FAIL %s: %s" % (os.path.basename(f), bad), flush=True)
                shutil.rmtree(gen, ignore_errors=True)
                seed += 1
    finally:
        shutil.rmtree(args.tmp, ignore_errors=True)
    mins = (time.time() - start) / 60
    print("run_diff: %d programs x %d runs in %.1f min (seeds %d..%d): %d disagreed"
          % (done, len(RUNS), mins, args.seed, seed - 1, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
