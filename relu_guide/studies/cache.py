"""Computed once: results of runs and studies cached on disk, keyed on the package and the call.

A docs build computes each run and study once: the gallery example computes it, the guide page
that quotes its numbers reads the same result from disk. The cache is a ``joblib.Memory``
in the folder named by the environment variable ``RELU_GUIDE_CACHE`` (``docs/conf.py`` sets it
to ``docs/_build/.relu_guide_cache``; the tests use a temporary folder). Without it nothing is
cached: a script run by hand computes everything and writes nothing.

The key is the sha256 of the package source (:func:`source_hash`) and the arguments: results
live in a subfolder named after the hash, so any change to ``relu_guide`` re-runs everything,
and the folders of older sources are deleted when a new one is made. Arguments that cannot be
hashed (a target given as a Python function) are computed without the cache.

Processes of one build (the gallery's workers, the notebooks' kernels) may ask for the same
result at once: the first computes it while holding a lock on its key (``fcntl.flock`` on a
file in the cache folder, where the platform has it), the others wait and read it.

Examples
--------
>>> import os, tempfile
>>> from relu_guide.core.experiments import LINEAR
>>> os.environ[CACHE_ENV] = tempfile.mkdtemp()
>>> first = train(LINEAR.with_(steps=10, frames=2))   # trains, and stores the run
>>> again = train(LINEAR.with_(steps=10, frames=2))   # reads it back
>>> bool((first.losses == again.losses).all()), again.experiment == first.experiment
(True, True)
>>> del os.environ[CACHE_ENV]
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import joblib

from relu_guide.core.activations import Activation, get_activation
from relu_guide.core.experiment import Experiment

if TYPE_CHECKING:
    from relu_guide.core.training import Run

__all__ = [
    "CACHE_ENV",
    "PACKAGE_DIR",
    "cache_folder",
    "cached",
    "is_cached",
    "source_hash",
    "train",
]

#: The environment variable naming the cache folder (unset or empty: no cache).
CACHE_ENV = "RELU_GUIDE_CACHE"
#: The ``relu_guide`` package folder, whose ``*.py`` files key the cache.
#:
#: :meta hide-value:
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def source_hash(dirs: Iterable[str | os.PathLike[str]] | None = None) -> str:
    """sha256 (hex) of every ``*.py`` file under ``dirs`` (default: the ``relu_guide`` package).

    Paths (relative to their folder) and contents both count; modification times do not.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.py").write_text("x = 1\\n")
    >>> h1 = source_hash([d])
    >>> _ = (d / "a.py").write_text("x = 2\\n")
    >>> source_hash([d]) != h1
    True
    """
    digest = hashlib.sha256()
    for folder in [Path(p) for p in (dirs if dirs is not None else [PACKAGE_DIR])]:
        if not folder.is_dir():
            msg = f"source folder {str(folder)!r} does not exist"
            raise ValueError(msg)
        for path in sorted(folder.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def _package_hash() -> str:
    return source_hash()


def cache_folder() -> Path | None:
    """Where results of the current package source are stored; ``None`` when not caching."""
    root = os.environ.get(CACHE_ENV, "")
    return Path(root) / _package_hash()[:16] if root else None


@functools.cache
def _memory(folder: Path) -> joblib.Memory:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.parent.iterdir():  # results of older package sources: never read again
        if old.is_dir() and old != folder and len(old.name) == 16:
            shutil.rmtree(old, ignore_errors=True)
    return joblib.Memory(folder, verbose=0)


def cached(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, its results stored on disk by ``joblib.Memory`` (see the module).

    Examples
    --------
    >>> @cached
    ... def double(x):
    ...     return 2 * x
    >>> double(21)
    42
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        folder = cache_folder()
        if folder is None:
            return func(*args, **kwargs)
        try:
            key = joblib.hash((func.__module__, func.__qualname__, args, kwargs))
        except Exception:  # an argument pickle cannot store (a lambda target): no cache
            return func(*args, **kwargs)
        memorized = _memory(folder).cache(func)
        if memorized.check_call_in_cache(*args, **kwargs):
            return memorized(*args, **kwargs)
        with _computing(folder, key):  # another process may be computing it: wait, then read
            return memorized(*args, **kwargs)

    return wrapper


@contextlib.contextmanager
def _computing(folder: Path, key: str) -> Iterator[None]:
    """Hold the lock of ``key`` in ``folder`` (one process computes a result at a time)."""
    try:
        import fcntl
    except ImportError:  # not on this platform: at worst, two processes compute it
        yield
        return
    locks = folder / ".locks"
    locks.mkdir(exist_ok=True)
    with (locks / key).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@cached
def train(experiment: Experiment) -> Run:
    """:func:`relu_guide.train`, cached: the same :class:`~relu_guide.Run`, computed once.

    Examples
    --------
    >>> from relu_guide.core.experiments import TWENTY_NEURONS
    >>> train(TWENTY_NEURONS.with_(steps=20, frames=2)).losses.shape
    (3,)
    """
    from relu_guide.core.training import train as plain_train  # torch: only when training

    return plain_train(experiment)


def _reduce_experiment(exp: Experiment) -> tuple[Any, tuple[Any, ...]]:
    """Pickle an Experiment by its fields (its derived functions are rebuilt from them)."""
    fields = (
        exp.target,
        exp.domain,
        exp.hidden,
        exp.activation,
        exp.output_activation,
        exp.optimizer,
        exp.lr,
        exp.batch_size,
        exp.steps,
        exp.frames,
        exp.seed,
    )
    return Experiment, fields


def _reduce_activation(activation: Activation) -> tuple[Any, tuple[Any, ...]]:
    """Pickle an Activation by its registry name (``"leaky_relu(slope=0.05)"``)."""
    return get_activation, (activation.name,)


copyreg.pickle(Experiment, _reduce_experiment)
copyreg.pickle(Activation, _reduce_activation)


def is_cached(func: Callable[..., Any], **kwargs: Any) -> bool:
    """Whether ``cached(func)(**kwargs)`` would read its result from disk instead of computing.

    Always ``False`` without a cache folder (see the module).

    Examples
    --------
    >>> import os, tempfile
    >>> def triple(x):
    ...     return 3 * x
    >>> os.environ[CACHE_ENV] = tempfile.mkdtemp()
    >>> is_cached(triple, x=2), cached(triple)(x=2), is_cached(triple, x=2)
    (False, 6, True)
    >>> del os.environ[CACHE_ENV]
    """
    folder = cache_folder()
    if folder is None:
        return False
    try:
        return bool(_memory(folder).cache(func).check_call_in_cache(**kwargs))
    except Exception:  # arguments the cache cannot hash are never cached
        return False
