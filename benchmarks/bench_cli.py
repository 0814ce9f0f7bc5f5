"""Start-up of the ``relu-guide`` command against a bare ``python -c pass``, in one run.

``relu-guide --help`` and ``relu-guide list`` import neither torch nor matplotlib, so they
should cost little more than starting Python itself (the budget: at most 8x). Each command is
run several times, interleaved with the bare start-up so that a busy machine slows all of
them alike, and the medians are compared.

Run: ``python benchmarks/bench_cli.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "relu-guide --help": [sys.executable, "-m", "relu_guide.faces.cli", "--help"],
    "relu-guide list": [sys.executable, "-m", "relu_guide.faces.cli", "list"],
    "import torch (for scale)": [sys.executable, "-c", "import torch"],
}


def seconds(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run of ``cmd`` (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="runs of each (default: 9)")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for cmd in COMMANDS.values():  # warm the file cache
        seconds(cmd, env)
    for _ in range(args.repeats):
        for name, cmd in COMMANDS.items():
            times[name].append(seconds(cmd, env))
    bare = statistics.median(times["python -c pass"])
    print(f"median of {args.repeats} runs each, interleaved")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<26} {1000 * median:7.1f} ms  {median / bare:5.1f}x python -c pass")
    worst = max(statistics.median(times[k]) for k in ("relu-guide --help", "relu-guide list"))
    print(f"  slowest of --help and list: {worst / bare:.1f}x a bare start-up (budget: <= 8x)")


if __name__ == "__main__":
    main()
