"""Benchmark: the playground in headless Chromium against the numpy reference in Python.

Side by side in one run, on this machine:

- training speed, width 20 on the full grid of 256 points: steps per second of ``el.step(n)``
  in Chromium and of :func:`relu_guide.core.reference.step` in Python (budget: Chromium at least
  as fast);
- one frame while playing: ``el.step(speed)`` plus ``el.draw()`` at the default 10 steps per
  frame, median and 95th percentile over 300 frames (budget: under one 60 Hz frame, 16.7 ms);
- the widget's size: ``playground.js`` + ``playground.css`` in bytes (budget: 30 KB).

Usage: ``python benchmarks/bench_playground.py [--port 8150]``. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from relu_guide.core import reference as ref
from relu_guide.faces.playground import STATIC_DIR

ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<link rel="stylesheet" href="playground.css"><script type="module" src="playground.js"></script>
</head><body><main><relu-playground width="20" target="square" batch="full"></relu-playground>
</main></body></html>"""
FRAME_BUDGET_MS = 1000 / 60


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the page without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


SIZE_BUDGET = 30 * 1024


def numpy_steps_per_second(steps: int = 2000) -> float:
    """Full-batch steps of the reference per second, width 20."""
    params = ref.initial_params(20, 0)
    x = ref.points()
    t = ref.target_values("square", x)
    start = time.perf_counter()
    for _ in range(steps):
        params = ref.step(params, x, t, 0.01)
    return steps / (time.perf_counter() - start)


def chromium_figures(port: int) -> dict[str, float]:
    """Steps per second and frame times of the element, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        for name in ("playground.js", "playground.css"):
            shutil.copyfile(STATIC_DIR / name, Path(tmp, name))
        Path(tmp, "index.html").write_text(PAGE, encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=tmp)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1000, "height": 900})
                page.goto(f"http://127.0.0.1:{port}/index.html")
                page.wait_for_function("document.querySelector('relu-playground').state")
                out = page.evaluate("""() => {
                  const el = document.querySelector("relu-playground");
                  el.step(500);                                   // warm up the JIT
                  el.reset();
                  const n = 5000, t0 = performance.now();
                  el.step(n);
                  const steps = n / ((performance.now() - t0) / 1000);
                  el.reset();
                  const frames = [];
                  for (let k = 0; k < 300; k++) {
                    const t = performance.now();
                    el.step(10); el.draw();
                    frames.push(performance.now() - t);
                  }
                  return {steps, frames};
                }""")
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
    frames = sorted(out["frames"])
    return {
        "steps_per_second": out["steps"],
        "frame_median_ms": statistics.median(frames),
        "frame_p95_ms": frames[int(0.95 * len(frames))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8150)
    port = parser.parse_args().port
    size = sum((STATIC_DIR / n).stat().st_size for n in ("playground.js", "playground.css"))
    numpy_rate = numpy_steps_per_second()
    js = chromium_figures(port)
    print("playground benchmark (width 20, full grid of 256 points)")
    print(f"  numpy reference, Python : {numpy_rate:10.0f} steps/s")
    print(f"  element, headless Chromium: {js['steps_per_second']:8.0f} steps/s")
    ratio = js["steps_per_second"] / numpy_rate
    print(f"  ratio Chromium / numpy  : {ratio:10.1f}x   (budget >= 1)")
    print(
        f"  step(10) + draw, per frame: median {js['frame_median_ms']:.2f} ms, "
        f"p95 {js['frame_p95_ms']:.2f} ms   (budget < {FRAME_BUDGET_MS:.1f} ms)"
    )
    print(f"  playground.js + .css    : {size:10d} bytes (budget <= {SIZE_BUDGET})")


if __name__ == "__main__":
    main()
