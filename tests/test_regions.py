"""Exact region counts against nets whose counts are known by construction."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from relu_guide.core.plane import PlaneExperiment
from relu_guide.core.plane_training import train_plane
from relu_guide.core.regions import (
    count_regions,
    diamond_net,
    folded_grid_net,
    general_position_net,
    layered_bound,
    linear_regions,
    one_layer_bound,
    polygon_area,
    ridge_net,
)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6, 8])
def test_lines_in_general_position_reach_the_bound(n: int) -> None:
    w, b = general_position_net(n)
    assert count_regions(w, b, (-2.0, 2.0)) == one_layer_bound(n) == 1 + n + n * (n - 1) // 2


@pytest.mark.parametrize("n", [1, 3, 7])
def test_parallel_lines_make_n_plus_one_strips(n: int) -> None:
    w = [np.tile([[1.0, 0.5]], (n, 1)), np.ones((1, n))]
    b = [np.linspace(-1, 1, n), np.zeros(1)]
    assert count_regions(w, b, (-2.0, 2.0)) == n + 1


def test_lines_outside_the_square_do_not_cut_it() -> None:
    w = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.ones((1, 2))]
    b = [np.array([-5.0, 5.0]), np.zeros(1)]  # x = 5 and y = -5: both outside [-2, 2]²
    regions = linear_regions(w, b, (-2.0, 2.0))
    assert len(regions) == 1
    assert regions[0].pattern == (False, True)


def test_abs_plus_abs_has_four_regions() -> None:
    """|x| + |y| = relu(x) + relu(-x) + relu(y) + relu(-y): two lines, each used twice."""
    regions = linear_regions(*diamond_net(), (-1.0, 1.0))
    assert len(regions) == 4
    for r in regions:
        c = r.polygon.mean(axis=0)
        assert np.allclose(np.abs(r.gradient), 1.0)
        assert np.isclose(r.gradient @ c + r.offset, np.abs(c).sum())


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_folding_depth_makes_exponentially_many_regions(depth: int) -> None:
    ws, bs = folded_grid_net(depth)
    regions = linear_regions(ws, bs, (0.0, 1.0))
    assert len(regions) == 4**depth
    assert np.allclose(sorted(r.area for r in regions), 4.0**-depth)


def test_regions_tile_the_square_and_agree_with_the_net() -> None:
    rng = np.random.default_rng(3)
    ws = [rng.normal(size=(6, 2)), rng.normal(size=(5, 6)), rng.normal(size=(1, 5))]
    bs = [rng.normal(size=6), rng.normal(size=5), rng.normal(size=1)]
    regions = linear_regions(ws, bs, (-2.0, 2.0))
    assert math.isclose(sum(r.area for r in regions), 16.0, rel_tol=1e-9)
    assert len(regions) <= layered_bound((6, 5))

    def net(p: np.ndarray) -> tuple[np.ndarray, list[tuple[bool, ...]]]:
        h, states = p, []
        for w, b in zip(ws[:-1], bs[:-1], strict=True):
            z = h @ w.T + b
            states.append(z > 0)
            h = np.maximum(z, 0)
        pattern = np.concatenate(states, axis=1)
        return (h @ ws[-1].T + bs[-1])[:, 0], [tuple(s) for s in pattern]

    for r in regions:
        c = r.polygon.mean(axis=0, keepdims=True)  # inside: the polygon is convex
        y, (pattern,) = net(c)
        assert pattern == r.pattern
        assert np.isclose(r.gradient @ c[0] + r.offset, y[0])
    # Every pattern seen on a fine grid is one of the regions (small ones may be missed).
    t = np.linspace(-2, 2, 301)
    gx, gy = np.meshgrid(t, t)
    _, seen = net(np.stack([gx.ravel(), gy.ravel()], axis=1))
    assert set(seen) <= {r.pattern for r in regions}
    assert len(set(seen)) >= 0.8 * len(regions)


def test_trained_net_counts_are_within_the_bound() -> None:
    runs = train_plane([PlaneExperiment(hidden=(6,), steps=50, frames=1, seed=s) for s in range(3)])
    for run in runs:
        assert 1 <= count_regions(*run.parameters(-1), run.experiment.domain) <= one_layer_bound(6)


def test_bad_shapes_are_named() -> None:
    with pytest.raises(ValueError, match="do not chain"):
        count_regions([np.ones((3, 3)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)], (0, 1))
    with pytest.raises(ValueError, match="one output"):
        count_regions([np.ones((3, 2)), np.ones((2, 3))], [np.zeros(3), np.zeros(2)], (0, 1))
    with pytest.raises(ValueError, match="n must be"):
        one_layer_bound(-1)


def test_polygon_area_of_a_triangle() -> None:
    assert polygon_area(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])) == 0.5


def test_ridge_net_is_the_ridge_with_four_strips() -> None:
    regions = linear_regions(*ridge_net(), (-2.0, 2.0))
    assert len(regions) == 4
    for r in regions:
        c = r.polygon.mean(axis=0)
        assert np.isclose(r.gradient @ c + r.offset, max(0.0, 1.0 - abs(c[0] - c[1])))


def _reference_regions(
    ws: list[np.ndarray], bs: list[np.ndarray], domain: tuple[float, float]
) -> list[tuple[np.ndarray, tuple[bool, ...], np.ndarray, np.ndarray]]:
    """linear_regions as first written, in numpy on every polygon: the arithmetic to match."""

    def area(p: np.ndarray) -> float:
        x, y = p[:, 0], p[:, 1]
        return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)

    def cut(poly: np.ndarray, v: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        pos, neg = [], []
        for i in range(len(poly)):
            p, q, a, b = poly[i], poly[(i + 1) % len(poly)], v[i], v[(i + 1) % len(poly)]
            if a >= 0:
                pos.append(p)
            if a <= 0:
                neg.append(p)
            if (a > 0 and b < 0) or (a < 0 and b > 0):
                cross = p + a / (a - b) * (q - p)
                pos.append(cross)
                neg.append(cross)
        return (np.array(pos) if len(pos) >= 3 else None, np.array(neg) if len(neg) >= 3 else None)

    lo, hi = domain
    square = np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi]])
    current: list[tuple[np.ndarray, tuple[bool, ...], np.ndarray, np.ndarray]] = [
        (square, (), np.eye(2), np.zeros(2))
    ]
    for w, b in zip(ws[:-1], bs[:-1], strict=True):
        pieces = []
        for poly, pattern, m, c in current:
            pm, pc = w @ m, w @ c + b
            parts: list[tuple[np.ndarray, tuple[bool, ...]]] = [(poly, ())]
            for j in range(len(b)):
                scale = float(np.abs(pm[j]).sum() * max(abs(lo), abs(hi)) + abs(pc[j]))
                tol = 1e-10 * max(scale, 1.0)
                nxt = []
                for part, states in parts:
                    v = part @ pm[j] + pc[j]
                    v = np.where(np.abs(v) <= tol, 0.0, v)
                    if np.all(v >= 0) or np.all(v <= 0):
                        nxt.append((part, (*states, bool(np.sum(v) > 0))))
                        continue
                    for half, on in zip(cut(part, v), (True, False), strict=True):
                        if half is not None and area(half) > 1e-10 * (hi - lo) ** 2:
                            nxt.append((half, (*states, on)))
                parts = nxt
            for part, states in parts:
                s = np.array(states, dtype=float)
                pieces.append((part, (*pattern, *states), s[:, None] * pm, s * pc))
        current = pieces
    return [(p, pat, ws[-1] @ m, ws[-1] @ c + bs[-1]) for p, pat, m, c in current]


@pytest.mark.parametrize("hidden", [(5,), (16,), (6, 5), (4, 4, 4)])
def test_regions_are_bit_identical_to_the_numpy_arithmetic(hidden: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(hidden))
    widths = [2, *hidden, 1]
    for _ in range(3):
        ws = [rng.uniform(-1, 1, (b, a)) for a, b in itertools.pairwise(widths)]
        bs = [rng.uniform(-1, 1, b) for b in widths[1:]]
        got = linear_regions(ws, bs, (-2.0, 2.0))
        want = _reference_regions(ws, bs, (-2.0, 2.0))
        assert len(got) == len(want)
        for r, (poly, pattern, g, off) in zip(got, want, strict=True):
            assert np.array_equal(r.polygon, poly)
            assert r.pattern == pattern
            assert np.array_equal(r.gradient, g[0])
            assert r.offset == float(off[0])
