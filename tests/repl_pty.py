#!/usr/bin/env python3
"""repl_pty.py PEL -- the REPL on a real terminal, through a pseudo-terminal.

Starts `pel` with a pty as its terminal, types at it as a person would
(including editing keys), and checks what the terminal would show: the
output is fed through a small screen model that understands the control
sequences libedit sends (carriage return, backspace, cursor moves, erase to
end of line), so an edit counts only if the edited line is what is on the
screen. Checks: the prompt and the banner, backspace and left-arrow edits,
a continuation prompt for an unfinished input, an error that leaves the
session going, Ctrl-C at the prompt (line abandoned) and during a long
evaluation (interrupted, the session goes on), history recall with the up
arrow and across sessions (PEL_HISTORY), and Ctrl-D ending with status 0.
Only the standard library is used.
"""
import os
import pty
import re
import select
import sys
import tempfile
import termios
import time

TIMEOUT = 20.0


class Screen:
    """Rows of text and a cursor; enough of a VT100 for libedit's output."""

    def __init__(self):
        self.rows = [[]]
        self.r = 0
        self.c = 0
        self.esc = b""

    def _put(self, ch):
        row = self.rows[self.r]
        while len(row) < self.c:
            row.append(" ")
        if self.c < len(row):
            row[self.c] = ch
        else:
            row.append(ch)
        self.c += 1

    def feed(self, data):
        for b in data:
            ch = bytes([b])
            if self.esc:
                self.esc += ch
                if self.esc == b"\x1b[" or (len(self.esc) > 2 and not (64 <= b <= 126)):
                    continue
                if len(self.esc) == 2 and self.esc != b"\x1b[":
                    self.esc = b""  # a two-byte escape: ignored
                    continue
                self._csi(self.esc[2:-1].decode("ascii", "replace"), chr(b))
                self.esc = b""
            elif ch == b"\x1b":
                self.esc = ch
            elif ch == b"\r":
                self.c = 0
            elif ch == b"\n":
                self.r += 1
                if self.r == len(self.rows):
                    self.rows.append([])
            elif ch == b"\b":
                self.c = max(0, self.c - 1)
            elif ch == b"\x07":
                pass  # bell
            elif b >= 0x20:
                self._put(ch.decode("latin-1"))

    def _csi(self, params, final):
        n = int(params) if params.isdigit() else 1
        if final == "G":  # cursor to column n
            self.c = n - 1
        elif final == "C":
            self.c += n
        elif final == "D":
            self.c = max(0, self.c - n)
        elif final == "K":  # erase to the end of the line
            del self.rows[self.r][self.c:]
        elif final == "A":
            self.r = max(0, self.r - n)
        elif final == "B":
            self.r += n
            while self.r >= len(self.rows):
                self.rows.append([])
        # colours and modes do not change the text

    def lines(self):
        return ["".join(r) for r in self.rows]


class Pel:
    def __init__(self, exe, history):
        env = dict(os.environ, TERM="xterm", PEL_HISTORY=history, PEL_WORKERS="2", NO_COLOR="1")
        env.pop("INPUTRC", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(exe, [exe], env)
        self.screen = Screen()
        self.raw = b""

    def read_until(self, pattern, what):
        """Reads until the screen matches pattern (a regex over its lines)."""
        end = time.time() + TIMEOUT
        rx = re.compile(pattern, re.M)
        while time.time() < end:
            if rx.search("\n".join(self.screen.lines())):
                return
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(self.fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                self.raw += data
                self.screen.feed(data)
        fail(f"{what}: the screen never showed /{pattern}/", self)

    def type(self, keys, editing=True):
        """Types keys; with editing, first waits until libedit reads the
        terminal (ICANON off): keys typed earlier would be echoed by the
        terminal itself as well, as for any program with typeahead."""
        end = time.time() + TIMEOUT
        while editing and termios.tcgetattr(self.fd)[3] & termios.ICANON:
            if time.time() > end:
                fail("libedit never took the terminal", self)
            time.sleep(0.01)
        os.write(self.fd, keys)

    def wait_for_child(self):
        """Waits until pel has forked the evaluation's child process."""
        end = time.time() + TIMEOUT
        path = f"/proc/{self.pid}/task/{self.pid}/children"
        while time.time() < end:
            try:
                with open(path) as f:
                    if f.read().strip():
                        return
            except OSError:
                return  # no /proc: fall back to the sleep alone
            time.sleep(0.01)
        fail("pel never started the evaluation", self)

    def wait(self):
        end = time.time() + TIMEOUT
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            try:  # keep draining so pel never blocks on a full pty
                r, _, _ = select.select([self.fd], [], [], 0.05)
                if r:
                    self.screen.feed(os.read(self.fd, 4096))
            except OSError:
                time.sleep(0.05)
        fail("pel did not end after Ctrl-D", self)


failures = 0


def fail(msg, pel=None):
    print("FAIL: " + msg)
    if pel:
        print("  screen:")
        for line in pel.screen.lines()[-15:]:
            print("  | " + line)
    sys.exit(1)


def check(cond, msg, pel):
    if not cond:
        fail(msg, pel)


def last_prompt_row(pel):
    rows = pel.screen.lines()
    return max(i for i, l in enumerate(rows) if l.startswith("pel> "))


def main():
    exe = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="pel-pty.")
    history = os.path.join(tmp, "history")

    p = Pel(exe, history)
    p.read_until(r"^PEL .*:help.*\npel> $", "banner and prompt")

    # backspace: "1 + 3", erase the 3, type 2
    p.type(b"1 + 3\x7f2")
    p.read_until(r"^pel> 1 \+ 2$", "backspace edit on screen")
    p.type(b"\r")
    p.read_until(r"^pel> 1 \+ 2\n3 : i64\npel> $", "result of the edited line")

    # left arrow and insert: "f(1)" -> cursor before ")" -> "f(10)"
    p.type(b"fn f(x: i64) -> i64 =\r")
    p.read_until(r"^\.\.\.> $", "continuation prompt after a trailing '='")
    p.type(b"x * 2\r")
    p.read_until(r"^\.\.\.> x \* 2\npel> $", "definition prints nothing")
    p.type(b"f(1)\x1b[D0")
    p.read_until(r"^pel> f\(10\)$", "left-arrow edit on screen")
    p.type(b"\r")
    p.read_until(r"^pel> f\(10\)\n20 : i64\npel> $", "result of the left-arrow edit")

    # an error does not end the session
    p.type(b"f(\"no\")\r")
    p.read_until(r"error: mismatched types: argument 1 of 'f' must be i64, found str(.|\n)*pel> $",
                 "compile error, then a prompt")
    p.type(b"1 / 0\r")
    p.read_until(r"^<repl>:1:3: runtime error: division by zero\npel> $", "runtime error, then a prompt")

    # Ctrl-C at the prompt abandons the line
    p.type(b"this is abandoned")
    # (a ^C flushes the terminal's input queue: let libedit read the text first)
    p.read_until(r"^pel> this is abandoned$", "typed text shows")
    p.type(b"\x03")
    p.read_until(r"^pel> this is abandoned\npel> $", "Ctrl-C gives a fresh prompt")
    p.type(b"f(4)\r")
    p.read_until(r"^pel> f\(4\)\n8 : i64\npel> $", "the session goes on after Ctrl-C")

    # Ctrl-C during an evaluation interrupts it
    p.type(b"fn spin(n: i64) -> i64 = if n < 0 { n } else { spin(n + 1) }\r")
    p.read_until(r"spin\(n \+ 1\) }\npel> $", "spin defined")
    p.type(b"spin(0)\r")
    p.wait_for_child()
    time.sleep(0.3)  # usually running by now; a Ctrl-C while compiling must stop it too
    p.type(b"\x03", editing=False)
    p.read_until(r"^interrupted\npel> $", "Ctrl-C interrupts the evaluation")
    p.type(b"f(21)\r")
    p.read_until(r"^pel> f\(21\)\n42 : i64\npel> $", "definitions survive the interrupt")

    # the up arrow recalls the last input
    p.type(b"\x1b[A")
    p.read_until(r"^pel> f\(21\)$", "up arrow shows the previous input")
    p.type(b"\r")
    p.read_until(r"^pel> f\(21\)\n42 : i64\npel> f\(21\)\n42 : i64\npel> $", "recalled input runs")

    # an unknown command is a message, not the end
    p.type(b":frob\r")
    p.read_until(r"unknown command ':frob'(.|\n)*pel> $", "unknown command")

    p.type(b"\x04")
    status = p.wait()
    check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
          f"Ctrl-D should end with status 0, got {status}", p)

    # the history file was written and a new session reads it
    with open(history, "rb") as h:
        saved = h.read()
    check(b"f(21)" in saved, "history file holds the inputs", p)
    q = Pel(exe, history)
    q.read_until(r"^pel> $", "second session prompt")
    q.type(b"\x1b[A\x1b[A")  # before the last f(21) came ":frob"
    q.read_until(r"^pel> f\(21\)$", "history from the first session")
    q.type(b"\r")
    q.read_until(r"error: unknown function 'f'(.|\n)*pel> $", "the recalled input runs in a session without f")
    q.type(b":quit\r")
    status = q.wait()
    check(os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, ":quit ends with status 0", q)
    print("PASS repl/terminal")


if __name__ == "__main__":
    main()
