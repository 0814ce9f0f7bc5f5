"""The relu-guide command: bad input exits 2 with one stderr line and no file; happy paths work.

Error cases run the real command in a subprocess (``python -m relu_guide.faces.cli``), as a user
would; a few checks that need to fake the file system run ``main()`` in-process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import pytest

from relu_guide.core import training
from relu_guide.faces import cli

ENV = {**os.environ, "MPLBACKEND": "Agg"}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relu_guide.faces.cli", *args],
        check=False,
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], named: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("relu-guide: error: ")
    assert named in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# A tiny but valid run: errors below change one thing at a time.
TINY = ["--steps", "20", "--frames", "2", "--batch-size", "16"]


# One subprocess per kind of bad input the issue lists (each costs a Python start-up) ...
SUBPROCESS_CASES = [
    (["animate", "--target", "squre", *TINY], "'squre'"),  # unknown target
    (["animate", "--activation", "swish", *TINY], "'swish'"),  # unknown activation
    (["animate", "--hidden", "20,-3", *TINY], "-3"),  # non-positive width
    (["animate", "--lr", "0", *TINY], "lr must be a positive finite number, got 0.0"),
    (["animate", "--steps", "10", "--frames", "20"], "frames=20 > steps=10"),
    (["animate", "--target", "x.__class__", *TINY], "attribute access is not allowed"),
    (["animate", "--lr", "1e6", *TINY], "lr=1e+06"),  # training diverges
    (["animate", "--lr", "abc", *TINY], "'abc'"),  # argparse's own error
    (["figure", "activation", "swish"], "'swish'"),
]
# ... and the variants in-process, where they cost nothing.
IN_PROCESS_CASES = [
    (["animate", "--output-activation", "soft", *TINY], "'soft'"),
    (["animate", "--hidden", "0", *TINY], "got 0 (use --hidden none"),
    (["animate", "--hidden", "0,4", *TINY], "got 0"),
    (["animate", "--lr", "-0.5", *TINY], "-0.5"),
    (["animate", "--lr", "nan", *TINY], "nan"),
    (["animate", "--batch-size", "0", *TINY[:4]], "batch_size"),
    (["animate", "--optimizer", "rmsprop", *TINY], "'rmsprop'"),
    (["animate", "--domain=2,1", *TINY], "(2.0, 1.0)"),
    (["animate", "--seed", "-1", *TINY], "-1"),
    (["animate", "--target", "__import__('os')", *TINY], "__import__"),
    (["animate", "--target", "x**999999", *TINY], "exponent 999999 is too large"),
    (["animate", "--target", "lambda: 1", *TINY], "lambda is not allowed"),
    (["animate", "--target", "log(x)", *TINY], "'log(x)' is not finite"),
    (["animate", "--size", "701x500", *TINY], "(701, 500)"),
    (["animate", "--size", "100x100", *TINY], "(100, 100)"),
    (["animate", "--fps", "0", *TINY], "fps"),
    (["animate", "--view", "neurons", "--hidden", "2,2", *TINY], "'neurons' view"),
    (["animate", "--activation", "leaky_relu(slope=2)", *TINY], "slope"),
    (["figure", "activation", "leaky_relu", "--slope", "-1"], "-1.0"),
    (["figure", "fit", "--frame", "9", *TINY], "frame 9"),
    (["figure", "neurons", "--activation", "tanh", *TINY], "'neurons' view"),
]


@pytest.mark.parametrize(("args", "named"), SUBPROCESS_CASES)
def test_bad_input_exits_2_with_one_line_and_no_file(
    args: list[str], named: str, tmp_path: Path
) -> None:
    suffix = ".svg" if args[0] == "figure" else ".mp4"
    result = run_cli(*args, "--out", f"out{suffix}", cwd=tmp_path)
    assert_one_line_error(result, named)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file left behind


@pytest.fixture
def fail_in_tmp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[[list[str]], str]:
    """Run ``main`` in-process in an empty folder; check exit status 2 and one stderr line."""
    monkeypatch.chdir(tmp_path)

    def fail(argv: list[str]) -> str:
        with pytest.raises(SystemExit) as info:
            cli.main(argv)
        assert info.value.code == 2
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        assert len(lines) == 1, captured.err
        assert lines[0].startswith("relu-guide: error: "), captured.err
        assert captured.out == ""
        return lines[0]

    return fail


@pytest.mark.parametrize(("args", "named"), IN_PROCESS_CASES)
def test_bad_input_in_process(
    args: list[str], named: str, tmp_path: Path, fail_in_tmp: Callable[[list[str]], str]
) -> None:
    suffix = ".svg" if args[0] == "figure" else ".mp4"
    assert named in fail_in_tmp([*args, "--out", f"out{suffix}"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["animate", "--view", "neurons", "--hidden", "2,2"], "'neurons' view"),
        (["animate", "--size", "701x500"], "(701, 500)"),
        (["animate", "--fps", "500"], "fps"),
        (["figure", "fit", "--frame", "101"], "frame 101"),
        (["figure", "neurons", "--activation", "tanh"], "'neurons' view"),
    ],
)
def test_arguments_are_checked_without_training(
    argv: list[str],
    named: str,
    monkeypatch: pytest.MonkeyPatch,
    fail_in_tmp: Callable[[list[str]], str],
) -> None:
    """No dry run: the CLI checks against the Experiment and never calls train()."""

    def no_training(*args: object, **kwargs: object) -> None:
        msg = "trained before the arguments were checked"
        raise AssertionError(msg)

    monkeypatch.setattr(training, "train", no_training)
    suffix = ".svg" if argv[0] == "figure" else ".mp4"
    assert named in fail_in_tmp([*argv, "--out", f"out{suffix}"])


def test_unknown_suffix_is_refused_before_training(tmp_path: Path) -> None:
    # 10**6 steps would take minutes: the path must be refused before training starts.
    result = run_cli("animate", "--steps", "1000000", "--out", "fit.avi", cwd=tmp_path)
    assert_one_line_error(result, "'.avi'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["animate", "--out", "fit.svg"], "'.svg'"),
        (["animate", "--out", "fit"], "no suffix in 'fit'"),
        (["animate", "--out", "missing/fit.mp4"], "'missing' does not exist"),
        (["animate", "--out", "afile.txt/fit.mp4"], "is not a folder"),
        (["animate", "--out", "adir.mp4"], "it is a folder"),
        (["figure", "activations", "--out", "all.mp4"], "'.mp4'"),
        (["figure", "activation", "relu", "--out", "missing/relu.svg"], "'missing'"),
    ],
)
def test_bad_output_path_is_refused_before_training(
    argv: list[str], named: str, tmp_path: Path, fail_in_tmp: Callable[[list[str]], str]
) -> None:
    (tmp_path / "afile.txt").write_text("x")
    (tmp_path / "adir.mp4").mkdir()
    assert named in fail_in_tmp([*argv, "--steps", "1000000"] if argv[0] == "animate" else argv)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir.mp4", "afile.txt"]
    assert list((tmp_path / "adir.mp4").iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_cli("figure", "activations", "--out", "ro/all.svg", cwd=tmp_path)
        assert_one_line_error(result, "'ro'")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_unwritable_folder_is_refused_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Faked with a failing mkstemp, since root (as in CI containers) can write anywhere."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "fit.mp4"
    with pytest.raises(SystemExit) as info:
        cli.main(["animate", "--steps", "1000000", "--out", str(out)])
    assert info.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert "Permission denied" in err[0]
    assert str(tmp_path) in err[0]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["bogus"],
        ["animate"],
        ["figure"],
        ["figure", "activation", "--out", "x.svg"],
        ["animate", "--hidden", "2,x", "--out", "x.mp4"],
        ["animate", "--size", "big", "--out", "x.mp4"],
        ["animate", "--domain", "1", "--out", "x.mp4"],
        ["animate", "--view", "movie", "--out", "x.mp4"],
    ],
)
def test_usage_errors_are_one_line_too(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("relu-guide: error: ")
    assert captured.out == ""


def test_hidden_option_forms() -> None:
    parse = cli.build_parser().parse_args
    assert parse(["animate", "--hidden", "20", "-o", "a.mp4"]).hidden == (20,)
    assert parse(["animate", "--hidden", "20,20", "-o", "a.mp4"]).hidden == (20, 20)
    assert parse(["animate", "--hidden", "none", "-o", "a.mp4"]).hidden == ()
    assert parse(["animate", "--domain=-3,2", "-o", "a.mp4"]).domain == (-3.0, 2.0)
    assert parse(["animate", "--output-activation", "relu", "-o", "a.mp4"]).output_activation == (
        "relu"
    )
    assert parse(["animate", "-o", "a.mp4"]).output_activation is None


def test_progress_bar_draws_in_place() -> None:
    import io

    out = io.StringIO()
    bar = cli.ProgressBar("training", stream=out, width=20)
    for step in range(0, 101, 10):
        bar(step, 100)
    bar.done()
    text = out.getvalue()
    assert text.startswith("\r[")
    assert text.endswith("[" + "#" * 20 + "] 100% training\n")
    assert text.count("\n") == 1
    silent = io.StringIO()
    cli.ProgressBar("training", stream=silent, enabled=False)(50, 100)
    assert silent.getvalue() == ""


def test_list(tmp_path: Path) -> None:
    result = run_cli("list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for word in ["square", "sin(3*x)", "leaky_relu", "softplus", "neurons", ".mp4", ".svg"]:
        assert word in out
    for name in ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus"]:
        assert f"\n  {name} " in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (["figure", "activation", "tanh"], "tanh.svg"),
        (["figure", "activations", "--dark"], "all.png"),
    ],
)
def test_figure_activation_writes_the_file(args: list[str], out: str, tmp_path: Path) -> None:
    result = run_cli(*args, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / out
    assert path.is_file()
    assert path.stat().st_size > 5000
    if out.endswith(".svg"):
        assert path.read_text().lstrip().startswith(("<?xml", "<svg"))
    else:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == [out]
    assert out in result.stdout


def test_figure_of_a_trained_net(tmp_path: Path) -> None:
    result = run_cli(
        "figure", "neurons", "--hidden", "4", "--steps", "50", "--frames", "5", "--out", "n.svg",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "n.svg").stat().st_size > 5000


def test_animate_writes_an_mp4_with_frames_plus_one_frames(tmp_path: Path) -> None:
    result = run_cli(
        "animate", "--target", "sin(3*x) + x**2/4", "--hidden", "8", "--steps", "60",
        "--frames", "6", "--size", "320x240", "--fps", "10", "--progress", "--out", "fit.mp4",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = tmp_path / "fit.mp4"
    n_frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(path))
    assert n_frames == 7
    assert seconds == pytest.approx(0.7, abs=0.05)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    reader.close()
    assert tuple(meta["size"]) == (320, 240)
    assert "100% training" in result.stderr  # the progress bar, forced on
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["fit.mp4"]
    assert "7 frames" in result.stdout


_IMPORTED = """
import contextlib, io, json, sys
from relu_guide.faces.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main({argv!r})
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})))
"""


@pytest.mark.parametrize("argv", [["--help"], ["list"], ["animate", "--help"]])
def test_help_and_list_import_neither_torch_nor_matplotlib(argv: list[str]) -> None:
    """What people wait for starts fast: no torch, no matplotlib (nor numpy) at all."""
    import json

    result = subprocess.run(
        [sys.executable, "-c", _IMPORTED.format(argv=argv)],
        env=ENV, capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    imported = set(json.loads(result.stdout))
    assert "relu_guide" in imported
    assert not imported & {"torch", "matplotlib", "numpy", "PIL"}, sorted(imported)
