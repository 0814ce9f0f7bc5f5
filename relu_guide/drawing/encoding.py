"""The video encoder: raw frames piped into ffmpeg, files written atomically, PNG posters.

:func:`encode` writes frames, as they are rendered, to the standard input of ffmpeg (from
:mod:`imageio_ffmpeg`): an H.264 ``.mp4`` (yuv420p, faststart), a VP9 ``.webm`` or a ``.gif``,
chosen by suffix, with bit-exact flags so that the same frames give the same bytes.
:func:`atomic` gives a temporary file that replaces the target only when complete, and
:func:`palette_png` encodes an image the one way the package writes PNGs.

Examples
--------
>>> import numpy as np, tempfile, pathlib
>>> from relu_guide.drawing.encoding import encode
>>> frames = (np.full((64, 64, 4), 40 * k, np.uint8) for k in range(3))
>>> with tempfile.TemporaryDirectory() as d:
...     path = pathlib.Path(d) / "grey.mp4"
...     encode(path, frames, size=(64, 64), fps=10)
...     path.read_bytes()[4:8]
b'ftyp'
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["PNG_COLORS", "atomic", "encode", "palette_png"]

#: Colours of every PNG the package writes (posters, scraped figures): line art loses nothing
#: visible with 64, and files shrink about three times against true colour.
PNG_COLORS = 64

# Encoder settings, measured on these flat-coloured plots (see benchmarks/bench_animation.py).
# libx264 tuned for animation with the uneven-multi-hexagon motion search, preset "veryfast"
# with 3 reference frames, one thread: about 30% less encoder CPU than "faster" for the same
# size. CRF 34: the 101-frame neurons view of the twenty-unit net weighs 77 KB against 94 KB
# at CRF 32 (and 64 KB at 36); we saw no difference in its decoded frames (text, markers and
# the thin unit pieces stay crisp), so the site's media keep within their budget. Sub-pixel
# refinement 1 (of veryfast's 2): a third less x264 CPU on that video (0.60 -> 0.40 s), 5% more
# bytes (75 -> 78 KB), the same PSNR within 0.05 dB and no difference we saw in its frames; with
# b-adapt=0 as well the bytes come back but moving lines leave ghosts, so b-adapt stays.
_X264 = [
    "-c:v", "libx264", "-preset", "veryfast", "-tune", "animation", "-crf", "34",
    "-x264-params", "me=umh:ref=3:subme=1",
]  # fmt: skip
_VP9 = ["-c:v", "libvpx-vp9", "-crf", "46", "-b:v", "0", "-deadline", "good", "-cpu-used", "3"]
_BT709 = ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"]
_YUV = "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p"
_GIF_GRAPH = (
    "split[a][b];[a]palettegen=max_colors=96:stats_mode=full:reserve_transparent=0[p];"
    "[b][p]paletteuse=dither=none:diff_mode=rectangle"
)


@contextlib.contextmanager
def atomic(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, moved onto it on success and removed on any error."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        msg = f"cannot write {str(path)!r}: {exc.strerror}"
        raise ValueError(msg) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        Path(tmp).chmod(0o666 & ~umask)
        Path(tmp).replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def palette_png(rgb: np.ndarray, colors: int = PNG_COLORS) -> bytes:
    """Encode an RGB image as a compact, deterministic PNG with a palette of ``colors``.

    Plots are flat colours plus anti-aliased edges: a palette looks the same and weighs about a
    third of a true-colour PNG. Maximum coverage, no dithering: on the guide's frames it keeps
    the background exact (fast octree turns white into 254 grey) and the largest error per
    pixel lowest (half of fast octree's, which median cut beats on average only by folding
    small markers into the dominant colours).

    Examples
    --------
    >>> png = palette_png(np.zeros((4, 4, 3), np.uint8))
    >>> png[:8], png[25]  # colour type 3: a palette
    (b'\\x89PNG\\r\\n\\x1a\\n', 3)
    """
    from PIL import Image

    if not 2 <= colors <= 256:
        msg = f"colors must be between 2 and 256, got {colors!r}"
        raise ValueError(msg)
    image = Image.fromarray(np.ascontiguousarray(rgb[..., :3])).quantize(
        colors=colors, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _encoder_args(suffix: str) -> list[str]:
    if suffix == ".mp4":
        # x264 output is deterministic for a fixed thread count: one, here (the least CPU).
        return [
            "-vf", _YUV, *_X264, "-threads", "1", "-pix_fmt", "yuv420p", *_BT709, "-color_range", "tv",
            "-movflags", "+faststart", "-f", "mp4",
        ]  # fmt: skip
    if suffix == ".webm":
        return [
            "-vf", _YUV, *_VP9, "-row-mt", "0", "-threads", "1", "-pix_fmt", "yuv420p", *_BT709,
            "-color_range", "tv", "-f", "webm",
        ]  # fmt: skip
    return ["-filter_complex", _GIF_GRAPH, "-threads", "1", "-loop", "0", "-f", "gif"]


#: Bytes the pipe to ffmpeg holds (Linux): a frame or more per write, not 64 KiB at a time, so
#: writer and encoder wake each other once per frame instead of twenty times.
_PIPE_BYTES = 1 << 20


def _widen_pipe(fd: int) -> None:
    """Enlarge a pipe's buffer to :data:`_PIPE_BYTES` where the system allows it (else no-op)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def encode(
    path: Path,
    frames: Iterable[Any],
    *,
    size: tuple[int, int],
    fps: float,
    suffix: str | None = None,
    pix_fmt: str = "rgba",
) -> None:
    """Pipe raw frames of ``size`` pixels into ffmpeg, writing ``path``.

    The format follows ``suffix`` (``".mp4"``, ``".webm"`` or ``".gif"``), by default the
    path's own.

    Raises
    ------
    RuntimeError
        If ffmpeg fails, with the end of its message.
    """
    w, h = size
    cmd = [
        _ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", pix_fmt, "-s", f"{w}x{h}",
        "-framerate", str(fps), "-i", "pipe:0",
        "-an", "-map_metadata", "-1",
        "-fflags", "+bitexact", "-flags", "+bitexact",
        *_encoder_args((suffix or path.suffix).lower()), str(path),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=err)
        assert proc.stdin is not None
        _widen_pipe(proc.stdin.fileno())
        try:
            for frame in frames:
                proc.stdin.write(frame)
            proc.stdin.close()
        except BrokenPipeError:
            pass  # ffmpeg stopped early: its return code and message say why
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            with contextlib.suppress(OSError):
                proc.stdin.close()
        code = proc.wait()
        if code != 0:
            err.seek(0)
            message = err.read().decode(errors="replace").strip()[-800:]
            msg = f"ffmpeg failed (exit status {code}): {message}"
            raise RuntimeError(msg)
