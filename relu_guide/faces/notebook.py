"""What the guide's pages share in their cells: :func:`glue`, for numbers quoted in the prose.

Examples
--------
>>> import numpy as np
>>> plain(np.float32(0.5)), plain(np.int64(3)), plain("three")
(0.5, 3, 'three')
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["glue", "plain"]


def plain(value: Any) -> Any:
    """A numpy scalar as the plain Python number it holds; anything else as it is."""
    return value.item() if isinstance(value, np.generic) else value


def glue(name: str, value: Any, display: bool = False) -> None:
    """MyST-NB's ``glue`` for the text: numpy scalars as plain numbers, not displayed.

    ``{glue:text}`name:.2f``` in a page shows the value; MyST-NB formats a value from its
    ``repr``, which for a numpy scalar (``np.float64(0.5)``) is not a number.
    """
    from myst_nb import glue as myst_glue

    myst_glue(name, plain(value), display=display)
