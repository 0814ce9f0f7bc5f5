"""The guide's studies, side by side: CPU seconds of each with the package of a base revision
(before) and of this checkout (after).

Every registered study (:data:`relu_guide.studies.specs.STUDIES` and
:data:`relu_guide.studies.chapter_specs.CHAPTER_STUDIES`) is computed with its guide parameters
by calling its function directly (no cache), once with the ``relu_guide`` of ``--base``
(extracted with ``git archive`` into a temporary directory) and once with this checkout's,
each in a fresh process with one thread, the two interleaved study by study. What is timed is
the CPU time (``time.process_time``) of the call alone, the package already imported: on a
shared machine that moves less than wall time. The default base is the commit this checkout
branched from ``main`` (``git merge-base HEAD main``), the engine before the hand-written
backward.

Run: ``python benchmarks/bench_studies.py [--base REV] [--repeats N] [NAME ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Run in a fresh process: times one study, prints its CPU seconds as JSON.
RUNNER = """
import json, sys, time
import torch
torch.set_num_threads(1)
from relu_guide.studies.specs import STUDIES
from relu_guide.studies.chapter_specs import CHAPTER_STUDIES
study = {**STUDIES, **CHAPTER_STUDIES}[sys.argv[1]]
start = time.process_time()
study.function(**study.kwargs)
print(json.dumps(time.process_time() - start))
"""


def study_names() -> list[str]:
    """The registered studies of this checkout, in registry order."""
    sys.path.insert(0, str(ROOT))
    from relu_guide.studies.chapter_specs import CHAPTER_STUDIES
    from relu_guide.studies.specs import STUDIES

    return [*STUDIES, *CHAPTER_STUDIES]


def cpu_seconds(package_root: Path, name: str) -> float:
    """CPU seconds of one study computed by the ``relu_guide`` found in ``package_root``."""
    env = {**os.environ, "PYTHONPATH": str(package_root), "OMP_NUM_THREADS": "1"}
    env["MPLBACKEND"] = "Agg"
    out = subprocess.run(
        [sys.executable, "-c", RUNNER, name],
        env=env,
        cwd=package_root,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1]))


def extract(base: str, into: Path) -> None:
    """``relu_guide`` as of revision ``base``, written under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", base, "relu_guide"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="studies to time (default: all)")
    parser.add_argument("--base", default=None, help="revision before (default: merge-base)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each, median (1)")
    args = parser.parse_args(argv)
    base = (
        args.base
        or subprocess.run(
            ["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    names = args.names or study_names()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"CPU seconds per study, one thread, median of {args.repeats}")
    print(f"before: relu_guide of {base[:10]}; after: this checkout (HEAD {head}, as on disk)")
    print(f"  {'study':<32} {'before':>8} {'after':>8} {'ratio':>7}")
    total_before = total_after = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        extract(base, Path(tmp))
        for name in names:
            before, after = [], []
            for _ in range(args.repeats):
                before.append(cpu_seconds(Path(tmp), name))
                after.append(cpu_seconds(ROOT, name))
            b, a = statistics.median(before), statistics.median(after)
            total_before += b
            total_after += a
            print(f"  {name:<32} {b:8.2f} {a:8.2f} {b / a:6.1f}x", flush=True)
    print(
        f"  {'total':<32} {total_before:8.2f} {total_after:8.2f} {total_before / total_after:6.1f}x"
    )


if __name__ == "__main__":
    main()
