"""Speed and size of a training animation: the seed's way against relu_guide, in one run.

The animation: Linear(1, 20) → ReLU → Linear(20, 1) learning x² on [-5, 5], 1000 SGD steps of
256 samples, 101 frames (the initial state, then one every 10 steps), 700 x 500 pixels.

(a) The seed's way, written here as the baseline: a matplotlib ``FuncAnimation`` whose update
    trains 10 steps, each drawing a numpy batch with ``np.random.uniform`` and converting it
    to tensors, then clears and redraws the plot; saved with ``PillowWriter`` as a GIF.
(d) The strongest naive way: the seed's plot (the target dashed and the output), but trained
    first (the textbook autograd + ``optim.SGD`` loop, keeping the 101 snapshots), then a
    ``FuncAnimation`` with ``blit=True`` whose update only sets the output line's data, saved
    with ``PillowWriter`` as a GIF.
(b) relu_guide: ``train`` + ``animate(run, "fit")`` + ``save("fit.mp4")`` + ``save_poster``.
(c) matplotlib's own ``FuncAnimation.to_html5_video()`` on the frames of (b)'s run.

Then the seed's layer-by-layer animation (two neurons, 5000 steps, 500 frames, three panels,
1000 x 1000) made by relu_guide; the seed's way took 620 s and weighed 11.4 MB on this
machine: run it again with ``--full``.

Run: ``python benchmarks/bench_animation.py [--full] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import base64
import re
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.animation import FuncAnimation, PillowWriter
from torch import nn

from relu_guide import Experiment, animate, train

STEPS, FRAMES, BATCH, LR = 1000, 100, 256, 0.01
SIZE = (700, 500)
SEED_LAYERS_SECONDS, SEED_LAYERS_BYTES = 620.0, 11.4e6


def seed_way(
    path: Path, hidden: int, steps: int, frames: int, size: tuple[int, int], layers: bool
) -> None:
    """The seed's way: train inside the FuncAnimation update, redraw everything, PillowWriter."""
    np.random.seed(0)  # noqa: NPY002  (the seed's way, on purpose)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    per_frame = steps // frames
    xs = np.linspace(-5, 5, 200, dtype=np.float32).reshape(-1, 1)
    w, h = size
    if layers:
        fig, axes = plt.subplots(3, 1, figsize=(w / 100, h / 100), dpi=100)
    else:
        fig, ax = plt.subplots(figsize=(w / 100, h / 100), dpi=100)
        axes = [ax]

    def update(i: int) -> None:
        for _ in range(per_frame if i > 0 else 0):
            x = np.random.uniform(-5, 5, (BATCH, 1)).astype(np.float32)  # noqa: NPY002
            xt, yt = torch.from_numpy(x), torch.tensor(x**2)
            loss = nn.functional.mse_loss(model(xt), yt)
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            h = torch.from_numpy(xs)
            outs = []
            for m in model:
                h = m(h)
                outs.append(h.numpy())
        for a in axes:
            a.clear()
        if layers:
            for a, out in zip(axes, outs, strict=True):
                a.plot(xs[:, 0], out)
            axes[-1].plot(xs[:, 0], xs[:, 0] ** 2, "--")
        else:
            axes[0].plot(xs[:, 0], xs[:, 0] ** 2, "--")
            axes[0].plot(xs[:, 0], outs[-1][:, 0])
            axes[0].set_ylim(-5, 26)

    anim = FuncAnimation(fig, update, frames=range(frames + 1), repeat=False)  # type: ignore[arg-type]
    anim.save(str(path), writer=PillowWriter(fps=20))
    plt.close(fig)


def blit_way(path: Path, hidden: int, steps: int, frames: int, size: tuple[int, int]) -> None:
    """The strongest naive way: train, then FuncAnimation(blit=True) saved by PillowWriter."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(1, hidden), nn.ReLU(), nn.Linear(hidden, 1))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    x = torch.linspace(-5, 5, 801).reshape(-1, 1)
    xs = x[:, 0].numpy()
    every = steps // frames
    preds = []
    for step in range(steps + 1):
        if step % every == 0:
            with torch.no_grad():
                y = model(x)[:, 0].numpy().copy()
            preds.append(y)
        if step == steps:
            break
        xb = torch.rand(BATCH, 1) * 10 - 5
        loss = nn.functional.mse_loss(model(xb), xb**2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    w, h = size
    fig, ax = plt.subplots(figsize=(w / 100, h / 100), dpi=100)
    ax.plot(xs, xs**2, "--")
    (line,) = ax.plot(xs, preds[0], animated=True)
    ax.set_ylim(-5, 26)

    def update(i: int) -> list[plt.Artist]:
        line.set_ydata(preds[i])
        return [line]

    anim = FuncAnimation(fig, update, frames=frames + 1, blit=True, repeat=False)  # type: ignore[arg-type]
    anim.save(str(path), writer=PillowWriter(fps=20))
    plt.close(fig)


def relu_guide_way(
    path: Path, hidden: int, steps: int, frames: int, size: tuple[int, int], view: str
) -> None:
    """relu_guide: train, animate, save the video and its poster (the last frame, a PNG)."""
    run = train(Experiment(hidden=(hidden,), steps=steps, frames=frames, seed=0))
    anim = animate(run, view, size=size)
    anim.save(path)
    anim.save_poster(path.with_suffix(".png"))


def html5_way(size: tuple[int, int]) -> int:
    """matplotlib's FuncAnimation.to_html5_video() on the frames of a relu_guide run."""
    run = train(Experiment(hidden=(20,), steps=STEPS, frames=FRAMES, seed=0))
    x = np.linspace(-5, 5, 801)
    ys = run.predict_frames(x)
    w, h = size
    fig, ax = plt.subplots(figsize=(w / 100, h / 100), dpi=100)
    ax.plot(x, x**2, "--")
    (line,) = ax.plot(x, ys[0])
    ax.set_ylim(-5, 26)

    def update(i: int) -> list[plt.Artist]:
        line.set_ydata(ys[i])
        return [line]

    anim = FuncAnimation(fig, update, frames=run.n_frames, interval=50, blit=True)  # type: ignore[arg-type]
    with mpl.rc_context(
        {"animation.ffmpeg_path": imageio_ffmpeg.get_ffmpeg_exe(), "animation.embed_limit": 100}
    ):
        html = anim.to_html5_video()
    plt.close(fig)
    match = re.search(r'base64,([^"]+)"', html)
    return len(base64.b64decode(match.group(1))) if match else len(html)


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: CPU seconds (this process and ffmpeg) of the last call to :func:`timed`.
LAST_CPU = [0.0]


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of ``fn()``; its CPU seconds, children included, go to ``LAST_CPU``."""
    cpu, start = _cpu(), time.perf_counter()
    fn()
    LAST_CPU[0] = _cpu() - cpu
    return time.perf_counter() - start


def describe(path: Path) -> str:
    """Frame count and size of a video file, read back with ffmpeg."""
    if path.suffix == ".gif":
        from PIL import Image

        with Image.open(path) as im:
            return f"{im.n_frames} frames, {im.size[0]}x{im.size[1]}"
    gen = imageio_ffmpeg.read_frames(str(path))
    meta = next(gen)
    gen.close()
    n, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    return f"{n} frames, {meta['size'][0]}x{meta['size'][1]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also the seed's 620 s layer GIF")
    parser.add_argument("--out", type=Path, help="keep the files in this folder")
    args = parser.parse_args(argv)
    # Warm up torch and matplotlib first, so neither way pays for the other's first call.
    train(Experiment(hidden=(2,), steps=10, frames=1))
    plt.close(plt.figure())
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        cpus: dict[str, float] = {}

        def row(name: str, seconds: float, path: Path) -> tuple[float, int]:
            size = path.stat().st_size
            cpus[name] = LAST_CPU[0]
            print(
                f"  {name:<46} {seconds:7.2f} s {LAST_CPU[0]:7.2f} s {size / 1e3:9.1f} KB"
                f"  {describe(path)}"
            )
            return seconds, size

        print(f"  {'':<46} {'wall':>9} {'CPU':>9} {'size':>12}")

        print(f"Fit animation: 20 neurons, {STEPS} steps, {FRAMES + 1} frames, 700x500")
        a = out / "seed_way.gif"
        t_a, s_a = row(
            "(a) seed's way: FuncAnimation + PillowWriter",
            timed(lambda: seed_way(a, 20, STEPS, FRAMES, SIZE, layers=False)),
            a,
        )
        d = out / "blit_way.gif"
        t_d, s_d = row(
            "(d) naive: FuncAnimation(blit) + PillowWriter",
            timed(lambda: blit_way(d, 20, STEPS, FRAMES, SIZE)),
            d,
        )
        b = out / "relu_guide_fit.mp4"
        t_b, s_b = row(
            "(b) relu_guide: train + animate + mp4 + poster",
            timed(lambda: relu_guide_way(b, 20, STEPS, FRAMES, SIZE, "fit")),
            b,
        )
        sizes: list[int] = []
        t_c = timed(lambda: sizes.append(html5_way(SIZE)))
        c_c = LAST_CPU[0]
        label = "(c) matplotlib to_html5_video() (same frames)"
        print(f"  {label:<46} {t_c:7.2f} s {c_c:7.2f} s {sizes[0] / 1e3:9.1f} KB")
        c_a = cpus["(a) seed's way: FuncAnimation + PillowWriter"]
        c_d = cpus["(d) naive: FuncAnimation(blit) + PillowWriter"]
        c_b = cpus["(b) relu_guide: train + animate + mp4 + poster"]
        print(f"  speed (a)/(b): {t_a / t_b:5.1f}x wall, {c_a / c_b:5.1f}x CPU")
        print(f"  size  (a)/(b): {s_a / s_b:5.1f}x")
        print(
            f"  speed (d)/(b): {t_d / t_b:5.1f}x wall, {c_d / c_b:5.1f}x CPU  (target >= 10x both)"
        )
        print(f"  size  (d)/(b): {s_d / s_b:5.1f}x  (target >= 15x)")
        print(
            f"  speed (c)/(b): {t_c / t_b:5.1f}x wall, {c_c / c_b:5.1f}x CPU;"
            f"  size (c)/(b): {sizes[0] / s_b:5.1f}x"
        )

        print("\nSeed's layer animation: 2 neurons, 5000 steps, 501 frames, 3 panels, 1000x1000")
        g = out / "relu_guide_layers.mp4"
        t_g, s_g = row(
            "relu_guide: train + animate('layers') + save",
            timed(lambda: relu_guide_way(g, 2, 5000, 500, (1000, 1000), "layers")),
            g,
        )
        if args.full:
            e = out / "seed_way_layers.gif"
            t_e, s_e = row(
                "seed's way (measured now)",
                timed(lambda: seed_way(e, 2, 5000, 500, (1000, 1000), layers=True)),
                e,
            )
        else:
            t_e, s_e = SEED_LAYERS_SECONDS, int(SEED_LAYERS_BYTES)
            label = "seed's way (measured before; --full reruns it)"
            print(f"  {label:<46} {t_e:7.2f} s {'':>9} {s_e / 1e3:9.1f} KB")
        print(f"  budget: < 15 s and < 600 KB; speed {t_e / t_g:.0f}x, size {s_e / s_g:.0f}x")


if __name__ == "__main__":
    main()
