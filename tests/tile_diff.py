#!/usr/bin/env python3
"""tile_diff.py SEED tiled|twin -- a random program of tiled folds.

Prints a PEL program of six maps whose elements are sum/product folds over
ranges of random simple code (i64 arithmetic with division and modulo,
f64 arithmetic, if, abs/min/sqrt, indexing, a ragged array that may be
indexed out of bounds). `tiled` writes each element as the fold itself,
which codegen computes in tiles; `twin` wraps it in a block
(`{ let s = ...; s }`), which is never tiled. The fold's code sits at the
same columns in both, so the two programs must print exactly the same
output and report exactly the same first runtime error
(run_tile_diff.sh compares them; docs/compiler.md, "Tiled folds").
"""
import random
import sys


def iexpr(d, vs):
    if d <= 0 or random.random() < 0.3:
        c = random.choice(["lit", "var", "var", "idx"])
        if c == "lit":
            return str(random.randint(-5, 9))
        if c == "var":
            return random.choice(vs)
        return f"m[{random.choice(vs)} % 7][{random.choice(vs)} % 5]"
    op = random.choice(["+", "-", "*", "/", "%", "if", "abs", "min"])
    a, b = iexpr(d - 1, vs), iexpr(d - 1, vs)
    if op == "if":
        return f"(if {a} > {b} {{ {a} }} else {{ {b} }})"
    if op == "abs":
        return f"abs({a})"
    if op == "min":
        return f"min({a}, {b})"
    if op in "/%" and random.random() < 0.85:
        b = f"({b} * {b} + 1)"  # mostly nonzero: most programs should run to the end
    return f"({a} {op} {b})"


def fexpr(d, vs):
    if d <= 0 or random.random() < 0.3:
        c = random.choice(["lit", "conv", "idx"])
        if c == "lit":
            return random.choice(["0.5", "1.25", "-2.0", "3.0"])
        if c == "conv":
            return f"f64({random.choice(vs)})"
        return f"g[{random.choice(vs)} % 6][{random.choice(vs)} % 4]"
    op = random.choice(["+", "-", "*", "/", "sqrt", "if"])
    a, b = fexpr(d - 1, vs), fexpr(d - 1, vs)
    if op == "sqrt":
        return f"sqrt(fabs({a}))"
    if op == "if":
        return f"(if {a} < {b} {{ {a} }} else {{ {b} }})"
    return f"({a} {op} {b})"


def main():
    random.seed(int(sys.argv[1]))
    tiled = sys.argv[2] == "tiled"
    out = ["fn main() {",
           "  let m = for a in 0..7 => for b in 0..5 => (a * 3 + b * 5) % 11 - 3",
           "  let g = for a in 0..6 => for b in 0..4 => f64(a * 7 + b) / 3.0 - 2.0",
           "  let r = [[1, 2, 3], [4], [5, 6, 7, 8, 9], [], [0, 0]]"]
    for _ in range(6):
        n, m, k = random.randint(1, 13), random.randint(0, 20), random.randint(0, 30)
        fl = random.random() < 0.5
        op = "sum" if fl else random.choice(["sum", "product"])
        body = fexpr(3, ["i", "j", "t"]) if fl else iexpr(3, ["i", "j", "t"])
        if not fl and random.random() < 0.1:
            body = f"({body} + r[i % 5][(j + t) % 4])"
        fold = f"{op}(for t in 0..{k} => {body})"
        elem = f"          {fold}" if tiled else f"{{ let s = {fold}; s }}"
        if random.random() < 0.5:
            out.append(f"  println(for i in 0..{n} => for j in 0..{m} => {elem})")
        else:
            out.append(f"  let i = {n}")
            out.append(f"  println(for j in 0..{m} => {elem})")
    out.append("}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
