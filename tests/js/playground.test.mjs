// node --test tests/js/: the playground's arithmetic against relu_guide.core.reference.
// Fixtures: the JSON file named by PLAYGROUND_FIXTURES (tests/test_playground.py writes it), or,
// without it, one written here by tests/js/fixtures.py (python from $PYTHON, else python3).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as pg from "../../relu_guide/faces/playground/playground.js";

const here = dirname(fileURLToPath(import.meta.url));
let file = process.env.PLAYGROUND_FIXTURES;
if (!file) {
  file = join(mkdtempSync(join(tmpdir(), "pg-")), "fixtures.json");
  execFileSync(process.env.PYTHON ?? "python3", [join(here, "fixtures.py"), file], {
    env: { ...process.env, PYTHONPATH: join(here, "..", "..") },
  });
}
const fx = JSON.parse(readFileSync(file, "utf8"));
// Bit for bit where both sides do the same IEEE operations in the same order; tanh, exp and
// sin come from each side's own libm, which may differ in the last bit.
const exact = (c) => (c.activation === "relu" || c.activation === "leaky_relu") && c.target !== "sin";

/** Equal to the last bit (exact) or within rel relative to the largest magnitude. */
function close(actual, expected, exactly, what, rel = 1e-12) {
  const a = typeof actual === "number" ? [actual] : Array.from(actual), e = [expected].flat();
  assert.equal(a.length, e.length, `${what}: length`);
  const scale = Math.max(...e.map(Math.abs), 1e-300);
  a.forEach((v, i) => {
    if (exactly) assert.ok(Object.is(v + 0, e[i] + 0), `${what}[${i}]: ${v} !== ${e[i]}`);
    else assert.ok(Math.abs(v - e[i]) <= rel * scale, `${what}[${i}]: ${v} vs ${e[i]}`);
  });
}

test("points are the midpoints of 256 equal cells of [-5, 5]", () => {
  close(pg.points(), fx.points, true, "points");
});

test("targets on the points", () => {
  const x = pg.points();
  for (const [name, values] of Object.entries(fx.targets)) {
    close(x.map(pg.TARGETS[name]), values, name !== "sin", name, 1e-15);
  }
});

test("mulberry32 gives the reference's integers", () => {
  for (const [seed, values] of Object.entries(fx.uint32)) {
    const next = pg.mulberry32(Number(seed));
    assert.deepEqual(values.map(() => next()), values);
  }
  const next = pg.mulberry32(12345);
  assert.deepEqual(fx.stream.map(() => next()), fx.stream);
});

for (const c of fx.cases) {
  const name = `${c.activation} ${c.target} width ${c.width} batch ${c.batch} seed ${c.seed}`;
  test(`${name}: initial weights, batches, ${c.steps} steps, kinks`, () => {
    const init = pg.initialParams(c.width, c.seed);
    for (const k of ["w1", "b1", "w2", "b2"]) close(init[k], c.init[k], true, `init ${k}`);
    if (c.batches.length) {
      const next = pg.batchIndices(c.seed, c.batch);
      c.batches.forEach((b, i) => assert.deepEqual(Array.from(next()), b, `batch ${i}`));
    }
    const t = new pg.Trainer({ ...c, params: null });
    close(t.loss, c.loss[0], exact(c), "loss at step 0");
    let done = 0;
    for (const [step, params] of Object.entries(c.checkpoints).sort((a, b) => a[0] - b[0])) {
      t.step(Number(step) - done);
      done = Number(step);
      const s = t.state;
      assert.equal(s.step, done);
      for (const k of ["w1", "b1", "w2", "b2"]) close(s[k], params[k], exact(c), `step ${step} ${k}`);
      close(s.loss, c.loss[done], exact(c), `step ${step} loss`);
      const ks = pg.kinks(s);
      ks.forEach((k, j) => {
        const e = c.kinks[step][j];
        assert.equal(k.state, e.state, `step ${step} unit ${j} state`);
        if (e.x === null) assert.ok(Number.isNaN(k.x));
        else close(k.x, e.x, exact(c), `step ${step} kink ${j}`, 1e-10);
      });
    }
    close(t.history, c.loss.slice(1), exact(c), "loss after every step");
  });
}

test("bad values are refused, naming them", () => {
  assert.throws(() => new pg.Trainer({ width: 65 }), /width must be 1 to 64, got 65/);
  assert.throws(() => new pg.Trainer({ activation: "gelu" }), /got "gelu"/);
  assert.throws(() => new pg.Trainer({ batch: 0 }), /batch must be/);
  const t = new pg.Trainer({ width: 2 });
  assert.throws(() => t.setParams({ w1: [1], b1: [0, 0], w2: [0, 0], b2: 0 }), /w1 must be 2 finite numbers, got \[1\]/);
});

test("reset goes back to the same weights and the same batches", () => {
  const t = new pg.Trainer({ width: 4, batch: 8, seed: 9 });
  const first = t.step(5);
  t.reset(pg.initialParams(4, 9));
  assert.deepEqual(t.step(5), first);
});

test("unit colours follow the neurons view: Okabe-Ito up to 4, viridis above", () => {
  assert.deepEqual(pg.unitColors(2), ["#E69F00", "#009E73"]);
  const many = pg.unitColors(20, true);
  assert.equal(many.length, 20);
  assert.equal(new Set(many).size, 20);
});
