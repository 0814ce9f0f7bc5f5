"""Build time of the site, side by side with another revision: clean, unchanged, changed.

``python benchmarks/bench_build.py --against REV`` makes two clean projects in a temporary
folder: a git worktree of ``REV`` and a copy of the current tree (``relu_guide/``, ``docs/``,
``gallery/``, ``pyproject.toml``, uncommitted changes included; no build output). Then, one run:

1. a clean build of each (``sphinx-build -j auto -W -n --keep-going -b html``, as
   ``nox -s docs``), ``REV`` first;
2. the current tree again with nothing changed: nothing may re-run;
3. a comment appended to ``relu_guide/__init__.py`` of the current tree, the same command
   again: every example and every notebook must re-run (no stale figure, ever);
4. the weight of the current tree's site, its media, and its heaviest page with all it loads.

It prints the ratio of the two clean builds, absolute and per unit of content (gallery examples
plus guide chapters, counted in each tree, so that new chapters do not excuse a slower build),
and a table with the budgets of DESIGN.md. It exits with status 1 when a rebuild re-ran too
little or too much (a broken cache key), or ``--check`` is given and a budget is missed.
Without ``--against`` only the current tree is built.

Run: ``python benchmarks/bench_build.py [--against REV] [--jobs N] [--keep] [--check] [--lenient]``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("relu_guide", "docs", "gallery")
#: Generated folders never copied: what a clean checkout does not have.
GENERATED = {
    "_build",
    "auto_gallery",
    "generated",
    "gen_modules",
    "__pycache__",
    ".ipynb_checkpoints",
}

# Budgets of DESIGN.md and issue 10.
BUDGET_SPEEDUP_PER_UNIT, BUDGET_NOCHANGE_S = 1.8, 5.0
BUDGET_MEDIA, BUDGET_SEED_MEDIA, BUDGET_PAGE = 3 * 1024**2, 1024**2, 600 * 1024


@dataclass
class Build:
    seconds: float
    cpu: float  # user + system seconds of the build and every process it waited for
    examples_run: int
    examples_total: int
    notebooks_run: int
    output: str


def copy_sources(dest: Path) -> None:
    """Copy the sources a clean checkout has (no build outputs) into ``dest``."""

    def ignore(_folder: str, names: list[str]) -> set[str]:
        return {n for n in names if n in GENERATED}

    for name in SOURCES:
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")


def checkout(rev: str, dest: Path) -> str:
    """A detached git worktree of ``rev`` at ``dest``; returns its short hash."""
    git = ["git", "-C", str(ROOT)]
    subprocess.run([*git, "worktree", "add", "--detach", "-q", str(dest), rev], check=True)
    out = subprocess.run([*git, "rev-parse", "--short", rev], check=True, capture_output=True)
    return out.stdout.decode().strip()


def units(project: Path) -> tuple[int, int]:
    """Units of content of a project: (gallery examples, guide chapters)."""
    examples = len(list((project / "gallery").rglob("plot_*.py")))
    chapters = len(  # every executed chapter, numbered or not (not the index)
        [
            p
            for p in (project / "docs" / "guide").glob("*.md")
            if p.stem != "index" and "file_format: mystnb" in p.read_text(encoding="utf-8")
        ]
    )
    return examples, chapters


def executed_notebooks(project: Path, since: datetime.datetime) -> int:
    """Notebooks executed by a build that started at ``since`` (UTC): records of MyST-NB's
    jupyter-cache created after it (a quiet build does not log them)."""
    db = project / "docs" / "_build" / ".jupyter_cache" / "global.db"
    if not db.is_file():
        return 0
    with sqlite3.connect(db) as con:
        created = [datetime.datetime.fromisoformat(c) for (c,) in con.execute(
            "SELECT created FROM nbcache")]  # fmt: skip
    return sum(c >= since for c in created)


def build(project: Path, jobs: str, strict: bool = True) -> Build:
    """Run the docs build in ``project``; count what sphinx-gallery and MyST-NB executed."""
    cmd = [sys.executable, "-m", "sphinx", "-j", jobs, "-n", "--keep-going", *(["-W"] * strict)]
    cmd += ["-b", "html", "-d", "docs/_build/doctrees", "docs", "docs/_build/html"]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(project)}
    env.pop("RELU_GUIDE_CACHE", None)
    since = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    start, used = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - used
    print(f"  {seconds:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        sys.exit(f"the docs build of {project} failed (exit {proc.returncode}):\n{output[-4000:]}")
    ran = re.search(r"successfully executed (\d+) out of (\d+) file", output)
    skipped = re.search(r"excluding (\d+) files? that had previously been run", output)
    examples_run = int(ran.group(1)) if ran else 0
    examples_total = examples_run + (int(skipped.group(1)) if skipped else 0)
    if ran is None:  # no example ran: sphinx-gallery prints no summary; count the examples
        examples_total = units(project)[0]
    notebooks = len(re.findall(r"Executed notebook in", output))
    if not notebooks:  # a quiet build: count the notebooks cached by this build
        notebooks = executed_notebooks(project, since)
    return Build(seconds, cpu, examples_run, examples_total, notebooks, output)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_site(site: Path) -> tuple[int, int, int, list[tuple[int, str]]]:
    """Bytes of the site, of its media, of the seed chapters' media, and each page's weight
    with all it loads in its heaviest reading mode: measured by the same code as the built-site tests
    (``tests/built_site.py``), so the benchmark and the tests cannot disagree."""
    os.environ["RELU_GUIDE_SITE"] = str(site)
    sys.path.insert(0, str(ROOT / "tests"))
    import built_site as b

    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    media = b.weight(set(b.media_files().values()))
    seed_files: set[Path] = set()
    for page in b.pages():
        if page.name.startswith(b.SEED_CHAPTERS):
            seed_files |= b.loaded_files(page)
    seed_media = b.weight(set(b.media_files(seed_files).values()))
    # A reader loads one theme's variants, on a desktop or a phone: a page weighs what its
    # heaviest such mode loads (as test_page_weights_within_budget measures it).
    weights = sorted(
        (
            (max(b.weight(b.loaded_files(p, theme, phone)) for theme, phone in b.MODES), p.name)
            for p in b.pages()
        ),
        reverse=True,
    )
    return total, media, seed_media, weights


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="git revision to compare with")
    parser.add_argument("--jobs", default="auto", help="sphinx-build -j value (default auto)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--check", action="store_true", help="exit 1 when over a budget")
    parser.add_argument(
        "--lenient", action="store_true", help="warnings are not errors (to measure anyway)"
    )
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="relu-guide-bench-build-"))
    new, old = tmp / "current", tmp / "against"
    old_clean, old_units = None, 0
    try:
        copy_sources(new)
        if args.against:
            rev = checkout(args.against, old)
            print(
                f"clean build of {args.against} ({rev}) in {old} (-j {args.jobs}) ...", flush=True
            )
            old_clean = build(old, args.jobs, not args.lenient)
            old_units = sum(units(old))
        print(f"clean build of the current tree in {new} (-j {args.jobs}) ...", flush=True)
        clean = build(new, args.jobs, not args.lenient)
        print("rebuild, nothing changed ...", flush=True)
        same = build(new, args.jobs, not args.lenient)
        with (new / "relu_guide" / "__init__.py").open("a") as f:
            f.write("\n# bench_build: a change in the package\n")
        print("rebuild after a change in relu_guide ...", flush=True)
        changed = build(new, args.jobs, not args.lenient)
        ex, ch = units(new)
        total, media, seed_media, weights = measure_site(new / "docs" / "_build" / "html")
        heaviest, heaviest_page = weights[0]
    finally:
        if args.against and old.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                           check=False)  # fmt: skip
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    n_ex, n_nb = clean.examples_total, clean.notebooks_run
    print()
    speedup = None
    if old_clean is not None:
        per_old, per_new = old_clean.seconds / old_units, clean.seconds / (ex + ch)
        speedup = per_old / per_new
        print(f"| clean build | {args.against} | current | ratio |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| whole site | {old_clean.seconds:.1f} s | {clean.seconds:.1f} s | "
              f"{old_clean.seconds / clean.seconds:.2f}x faster |")  # fmt: skip
        print(f"| units of content (examples + chapters) | {old_units} | {ex + ch} | |")
        print(f"| per unit of content | {per_old:.2f} s | {per_new:.2f} s | "
              f"**{speedup:.2f}x faster** |")  # fmt: skip
        cpu_old, cpu_new = old_clean.cpu / old_units, clean.cpu / (ex + ch)
        print(f"| CPU time, whole site | {old_clean.cpu:.1f} s | {clean.cpu:.1f} s | "
              f"{old_clean.cpu / clean.cpu:.2f}x less |")  # fmt: skip
        print(f"| CPU time per unit of content | {cpu_old:.2f} s | {cpu_new:.2f} s | "
              f"{cpu_old / cpu_new:.2f}x less |")  # fmt: skip
        print()
    rows = [
        ("clean build", f"{clean.seconds:.1f} s ({clean.cpu:.0f} s CPU)", "",
         f"{clean.examples_run}/{n_ex} examples, {clean.notebooks_run} notebooks run"),
        ("rebuild, nothing changed", f"{same.seconds:.1f} s ({same.cpu:.1f} s CPU)",
         f"< {BUDGET_NOCHANGE_S:.0f} s",
         f"{same.examples_run}/{n_ex} examples, {same.notebooks_run}/{n_nb} notebooks re-run"),
        ("rebuild, relu_guide changed", f"{changed.seconds:.1f} s", "re-runs all",
         f"{changed.examples_run}/{n_ex} examples, {changed.notebooks_run}/{n_nb} notebooks re-run"),
        ("site", kb(total), "", f"{len(weights)} pages"),
        ("media of the seed's chapters", kb(seed_media), f"< {kb(BUDGET_SEED_MEDIA)}", ""),
        ("media of the whole site", kb(media), f"< {kb(BUDGET_MEDIA)}", ""),
        ("heaviest page, with all it loads", kb(heaviest), f"< {kb(BUDGET_PAGE)}", heaviest_page),
    ]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print(
        f"| {'measure':<{widths[0]}} | {'value':>{widths[1]}} | {'budget':<{widths[2]}} | notes |"
    )
    print(f"| {'-' * widths[0]} | {'-' * widths[1]}:| {'-' * widths[2]} | ----- |")
    for name, value, budget, note in rows:
        print(f"| {name:<{widths[0]}} | {value:>{widths[1]}} | {budget:<{widths[2]}} | {note} |")
    print()
    print("heaviest pages:")
    for weight, page in weights[:5]:
        print(f"  {kb(weight):>8}  {page}")
    if args.keep:
        print(f"the built copies are in {tmp}")

    stale = same.examples_run or same.notebooks_run
    missed = changed.examples_run < n_ex or changed.notebooks_run < n_nb
    if stale or missed:
        print(
            "FAIL: the build caches are not keyed right "
            f"(unchanged rebuild re-ran {same.examples_run} examples and "
            f"{same.notebooks_run} notebooks; after a change only {changed.examples_run}/"
            f"{n_ex} examples and {changed.notebooks_run}/{n_nb} notebooks re-ran)"
        )
        return 1
    budgets = {
        "clean build per unit of content": speedup is not None
        and speedup < BUDGET_SPEEDUP_PER_UNIT,
        "clean build whole": old_clean is not None and clean.seconds > old_clean.seconds,
        "no-change rebuild": same.seconds > BUDGET_NOCHANGE_S,
        "media": media > BUDGET_MEDIA,
        "seed media": seed_media > BUDGET_SEED_MEDIA,
        "heaviest page": heaviest > BUDGET_PAGE,
    }
    over = [name for name, missed_it in budgets.items() if missed_it]
    if over:
        print("over budget:", ", ".join(over))
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
