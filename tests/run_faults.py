#!/usr/bin/env python3
"""run_faults.py PELC PEL CASE -- a fault from outside the program (issue
list in docs/reliability.md), at PEL_WORKERS=1 and 2, for the program built
by pelc and for the same program run by `pel prog.pel`.

Cases:
  closed_stdout  `prog | head -1`: the program dies of SIGPIPE, prints no
                 message, and the reader got the first line
  closed_stderr  eprintln into a closed pipe: the same
  sigint         SIGINT (Ctrl-C) while running: what was printed before is
  sigterm        written, then the process ends by the signal (130 / 143)
  full_output    stdout is /dev/full: a located error naming stdout, status 1
  write_file     write_file into /dev/full and into a missing folder: a
                 located error naming the file, status 1
  oom            fill(4_000_000_000, 1.0) and an allocation under ulimit -v:
                 `file:line:col: runtime error: out of memory (N bytes)`
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

PELC, PEL, CASE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL faults/%s: %s" % (CASE, msg))


def build(tmp, name, src):
    path = os.path.join(tmp, name + ".pel")
    with open(path, "w") as f:
        f.write(src)
    exe = os.path.join(tmp, name)
    r = subprocess.run([PELC, name + ".pel", "-o", name], cwd=tmp, capture_output=True, text=True)
    if r.returncode != 0:
        fail("pelc %s.pel failed: %s" % (name, r.stderr))
        return []
    # the compiled program, and the same source through the JIT
    return [("pelc", [exe]), ("pel", [PEL, name + ".pel"])]


def default_signals():
    # a test runner may have started us with SIGINT ignored (a background
    # job); the program must see the signals as a shell's foreground would
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)


def env_for(w):
    e = dict(os.environ)
    e["PEL_WORKERS"] = str(w)
    return e


# prints 0..n-1, one per line, sequentially (a self tail call)
COUNT = """fn show(i: i64, n: i64) -> i64 = if i == n { 0 } else {
  println(i)
  show(i + 1, n)
}
fn main() = {
  show(0, 2000000)
  println("end")
}
"""

ECOUNT = COUNT.replace("println(i)", "eprintln(i)")

# prints a line, then runs for minutes
SLOW = """fn steps(n: i64) -> i64 =
  if n == 1 { 0 } else { if n % 2 == 0 { 1 + steps(n / 2) } else { 1 + steps(3 * n + 1) } }
fn main() = {
  println("started")
  println(sum(for i in 1..3000000000 => steps(i)))
}
"""


def closed_pipe(tmp, stream):
    src = COUNT if stream == "stdout" else ECOUNT
    for how, cmd in build(tmp, "count", src):
        for w in (1, 2):
            p = subprocess.Popen(cmd, cwd=tmp, env=env_for(w), preexec_fn=default_signals,
                                 stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
            reader = p.stdout if stream == "stdout" else p.stderr
            first = reader.readline()
            reader.close()  # as `head -1` does
            other = p.stderr.read() if stream == "stdout" else b""
            st = p.wait(timeout=60)
            tag = "%s workers=%d" % (how, w)
            if first != b"0\n":
                fail("%s: first line %r" % (tag, first))
            if st != -signal.SIGPIPE:
                fail("%s: status %r, not killed by SIGPIPE (stderr %r)" % (tag, st, other[:200]))
            if other:
                fail("%s: printed %r on stderr" % (tag, other[:200]))


def stop_signal(tmp, sig, status):
    for how, cmd in build(tmp, "slow", SLOW):
        for w in (1, 2):
            out = os.path.join(tmp, "slow.out")
            with open(out, "wb") as o:
                p = subprocess.Popen(cmd, cwd=tmp, env=env_for(w), preexec_fn=default_signals,
                                     stdout=o, stderr=subprocess.PIPE)
                # the program has started once pel/JIT compiled it; the line
                # it printed sits in its buffer (stdout is a file)
                time.sleep(1.5 if how == "pel" else 0.5)
                p.send_signal(sig)
                try:
                    err = p.communicate(timeout=30)[1]
                except subprocess.TimeoutExpired:
                    p.kill()
                    fail("%s workers=%d: still running 30 s after the signal" % (how, w))
                    continue
            tag = "%s workers=%d" % (how, w)
            got = open(out, "rb").read()
            if got != b"started\n":
                fail("%s: stdout %r, not the line printed before the signal" % (tag, got))
            if p.returncode != -sig:
                fail("%s: status %r, not ended by signal %d (shell status %d)" % (tag, p.returncode, sig, status))
            if err:
                fail("%s: printed %r on stderr" % (tag, err[:200]))


def full_output(tmp):
    for how, cmd in build(tmp, "count", COUNT):
        for w in (1, 2):
            with open("/dev/full", "wb") as full:
                r = subprocess.run(cmd, cwd=tmp, env=env_for(w), stdout=full, stderr=subprocess.PIPE, timeout=60)
            tag = "%s workers=%d" % (how, w)
            err = r.stderr.decode(errors="replace")
            if r.returncode != 1:
                fail("%s: status %d" % (tag, r.returncode))
            if not re.fullmatch(r"count\.pel:2:3: runtime error: cannot write to stdout: No space left on device\n",
                                err):
                fail("%s: stderr %r" % (tag, err))


WRITE = """fn main() = {
  println("before")
  write_file(args()[0], "some text")
  println("after")
}
"""


def write_file(tmp):
    for how, cmd in build(tmp, "wf", WRITE):
        for w in (1, 2):
            for target, why in (("/dev/full", "No space left on device"),
                                (os.path.join(tmp, "no", "such", "x.txt"), "No such file or directory")):
                r = subprocess.run(cmd + [target], cwd=tmp, env=env_for(w), capture_output=True, timeout=60)
                tag = "%s workers=%d %s" % (how, w, target)
                want = 'wf.pel:3:3: runtime error: cannot write file "%s": %s\n' % (target, why)
                if r.returncode != 1:
                    fail("%s: status %d" % (tag, r.returncode))
                if r.stdout != b"before\n":
                    fail("%s: stdout %r" % (tag, r.stdout))
                if r.stderr.decode(errors="replace") != want:
                    fail("%s: stderr %r, want %r" % (tag, r.stderr, want))


OOM_FILL = """fn main() = {
  println("before")
  let xs = fill(4_000_000_000, 1.0)
  println(xs[0])
}
"""

# grows a string until the address space (ulimit -v) is exhausted
OOM_GROW = """fn grow(s: str, n: i64) -> i64 = if n == 0 { len(s) } else { grow(s + s, n - 1) }
fn main() = {
  println("before")
  println(grow("ab", 40))
}
"""


def oom(tmp):
    def limit():
        default_signals()
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    for name, src, line_col, pre in (("fill", OOM_FILL, "3:12", None), ("grow", OOM_GROW, "1:69", limit)):
        for how, cmd in build(tmp, name, src):
            if how == "pel" and pre:
                continue  # the JIT itself needs more than the limit allows
            for w in (1, 2):
                r = subprocess.run(cmd, cwd=tmp, env=env_for(w), capture_output=True, timeout=120, preexec_fn=pre)
                tag = "%s %s workers=%d" % (name, how, w)
                err = r.stderr.decode(errors="replace")
                if r.returncode != 1:
                    fail("%s: status %d (stderr %r)" % (tag, r.returncode, err[:300]))
                if r.stdout != b"before\n":
                    fail("%s: stdout %r" % (tag, r.stdout))
                if not re.fullmatch(r"%s\.pel:%s: runtime error: out of memory \([0-9]+ bytes\)\n" % (name, line_col),
                                    err):
                    fail("%s: stderr %r" % (tag, err[:300]))


with tempfile.TemporaryDirectory(prefix="pel-faults.") as tmp:
    if CASE == "closed_stdout":
        closed_pipe(tmp, "stdout")
    elif CASE == "closed_stderr":
        closed_pipe(tmp, "stderr")
    elif CASE == "sigint":
        stop_signal(tmp, signal.SIGINT, 130)
    elif CASE == "sigterm":
        stop_signal(tmp, signal.SIGTERM, 143)
    elif CASE == "full_output":
        full_output(tmp)
    elif CASE == "write_file":
        write_file(tmp)
    elif CASE == "oom":
        oom(tmp)
    else:
        fail("unknown case")

if failures:
    sys.exit(1)
print("PASS faults/%s" % CASE)
