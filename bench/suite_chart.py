"""suite_chart.py TIMES_JSON OUT_PNG -- the benchmark suite's ratios as a chart.

bench/run calls this with a Python that has matplotlib. Two panels share the
benchmarks on the x axis: on top, PEL's time over the C reference's (one
worker against serial C, two workers against OpenMP with two threads; lower
is better, the target line at 1.25); below, the speedup of two workers over
one for PEL and for OpenMP (higher is better, lines at 1.0 and 1.8).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)


def main():
    if len(sys.argv) != 3:
        print("usage: suite_chart.py TIMES_JSON OUT_PNG", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    res = data["results"]
    names = list(res)
    xs = range(len(names))
    w = 0.38
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(max(8, 0.8 * len(names) + 2), 7), sharex=True)

    top.bar([x - w / 2 for x in xs], [res[n]["pel1_c"] for n in names], w, label="PEL@1 / serial C")
    top.bar([x + w / 2 for x in xs], [res[n]["pel2_omp"] for n in names], w, label="PEL@2 / OpenMP@2")
    top.axhline(1.0, color="black", linewidth=0.8)
    top.axhline(1.25, color="red", linestyle="--", linewidth=0.8, label="target 1.25")
    top.set_ylabel("time ratio (lower is better)")
    top.legend(fontsize=8)

    bottom.bar([x - w / 2 for x in xs], [res[n]["pel1_pel2"] for n in names], w, label="PEL@1 / PEL@2")
    bottom.bar([x + w / 2 for x in xs], [res[n]["c_omp"] for n in names], w, label="serial C / OpenMP@2")
    bottom.axhline(1.0, color="red", linestyle="--", linewidth=0.8, label="no slowdown (1.0)")
    bottom.axhline(1.8, color="gray", linestyle=":", linewidth=0.8, label="1.8")
    bottom.set_ylabel("speedup on 2 workers")
    bottom.set_xticks(list(xs))
    bottom.set_xticklabels(names, rotation=30, ha="right")
    bottom.legend(fontsize=8)

    mode = "quick sizes (indicative)" if data.get("quick") else f"medians of {data.get('rounds')} rounds"
    fig.suptitle(f"PEL benchmark suite, {mode}")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
