// <relu-playground>: train and edit a one-hidden-layer net in the page. One plain ES module, no
// framework, no build step, no request. The arithmetic is relu_guide.core.reference's, in the
// same order (see that module's docstring): the tests compare the two to the last bit.

export const DOMAIN = [-5, 5];
export const N_POINTS = 256;
export const LEAKY_SLOPE = 0.1;
export const TARGETS = {
  square: (x) => x * x,
  abs: Math.abs,
  sin: Math.sin,
  step: (x) => (x > 0 ? 1 : 0),
  cube: (x) => (x * x * x) / 5,
};
export const ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid"];
const BATCHES = ["full", "1", "8", "32", "128"];

/** The midpoints of n equal cells of the domain: lo + (i + 0.5)·(hi − lo)/n. */
export function points(n = N_POINTS, [lo, hi] = DOMAIN) {
  const x = new Float64Array(n), h = (hi - lo) / n;
  for (let i = 0; i < n; i++) x[i] = lo + (i + 0.5) * h;
  return x;
}

/** mulberry32: a function returning the next unsigned 32-bit integer. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Initial weights: w1, b1 uniform on (−1, 1), then w2, b2 on (−1/√width, 1/√width). */
export function initialParams(width, seed = 0) {
  const next = mulberry32(seed), bound = 1 / Math.sqrt(width);
  const draw = (n, b) => Array.from({ length: n }, () => (2 * (next() / 4294967296) - 1) * b);
  const w1 = draw(width, 1), b1 = draw(width, 1), w2 = draw(width, bound);
  return { w1, b1, w2, b2: draw(1, bound)[0] };
}

/** A function returning the next mini-batch: size indices into the n points, with replacement. */
export function batchIndices(seed, size, n = N_POINTS) {
  const next = mulberry32((seed ^ 0x5bd1e995) >>> 0);
  return () => Int32Array.from({ length: size }, () => Math.floor((next() * n) / 4294967296));
}

/** Every unit's kink −b1/w1 and its state: "kink", "dead" or "always on". */
export function kinks({ w1, b1 }, [lo, hi] = DOMAIN) {
  const mid = 0.5 * (lo + hi);
  return Array.from(w1, (w, j) => {
    const x = w !== 0 ? -b1[j] / w : NaN;
    const state = lo < x && x < hi ? "kink" : w * mid + b1[j] > 0 ? "always on" : "dead";
    return { x, state };
  });
}

const check = (ok, what, value) => {
  if (!ok) throw new RangeError(`${what}, got ${JSON.stringify(value)}`);
};

/** The net and its training; no DOM. */
export class Trainer {
  constructor({ target = "square", width = 20, activation = "relu", lr = 0.01, batch = "full",
    seed = 0, slope = LEAKY_SLOPE, params = null } = {}) {
    check(target in TARGETS, `target must be one of ${Object.keys(TARGETS)}`, target);
    check(ACTIVATIONS.includes(activation), `activation must be one of ${ACTIVATIONS}`, activation);
    check(Number.isInteger(width) && width >= 1 && width <= 64, "width must be 1 to 64", width);
    check(Number.isFinite(lr) && lr > 0, "lr must be a positive number", lr);
    check(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32, "seed must be 0 to 2^32 - 1", seed);
    check(Number.isFinite(slope), "slope must be a number", slope);
    check(batch === "full" || (Number.isInteger(batch) && batch >= 1 && batch <= N_POINTS),
      `batch must be "full" or 1 to ${N_POINTS}`, batch);
    Object.assign(this, { target, width, activation, lr, batch, seed, slope });
    this.x = points();
    this.t = this.x.map(TARGETS[target]);
    this.h = new Float64Array(width);
    this.dh = new Float64Array(width);
    this.grad = { w1: new Float64Array(width), b1: new Float64Array(width), w2: new Float64Array(width) };
    this.reset(params ?? initialParams(width, seed));
  }

  /** Back to the given parameters at step 0, the batches from their start. */
  reset(params) {
    this.setParams(params);
    this.stepCount = 0;
    this.history = [];
    this.nextBatch = this.batch === "full" ? null : batchIndices(this.seed, this.batch);
  }

  setParams({ w1, b1, w2, b2 }) {
    for (const [k, v] of Object.entries({ w1, b1, w2 })) {
      check(v && v.length === this.width && Array.from(v).every(Number.isFinite),
        `${k} must be ${this.width} finite numbers`, v && Array.from(v));
    }
    check(Number.isFinite(b2), "b2 must be a finite number", b2);
    this.w1 = Float64Array.from(w1);
    this.b1 = Float64Array.from(b1);
    this.w2 = Float64Array.from(w2);
    this.b2 = +b2;
    this._loss = null;
  }

  /** φ(z) into h[j], φ'(z) into dh[j]. */
  _phi(j, z) {
    const a = this.activation;
    if (a === "relu") { this.h[j] = z > 0 ? z : 0; this.dh[j] = z > 0 ? 1 : 0; }
    else if (a === "leaky_relu") { this.h[j] = z > 0 ? z : this.slope * z; this.dh[j] = z > 0 ? 1 : this.slope; }
    else if (a === "tanh") { const t = Math.tanh(z); this.h[j] = t; this.dh[j] = 1 - t * t; }
    else { const s = 1 / (1 + Math.exp(-z)); this.h[j] = s; this.dh[j] = s * (1 - s); }
  }

  /** y(x), leaving every unit's φ and φ' in h and dh (inlined: this is the hot loop). */
  _output(x) {
    const { width, w1, b1, w2, h, dh, slope } = this, act = ACTIVATIONS.indexOf(this.activation);
    let y = this.b2;
    for (let j = 0; j < width; j++) {
      const z = w1[j] * x + b1[j];
      let v, d;
      if (act === 0) { v = z > 0 ? z : 0; d = z > 0 ? 1 : 0; }
      else if (act === 1) { v = z > 0 ? z : slope * z; d = z > 0 ? 1 : slope; }
      else if (act === 2) { v = Math.tanh(z); d = 1 - v * v; }
      else { v = 1 / (1 + Math.exp(-z)); d = v * (1 - v); }
      h[j] = v; dh[j] = d;
      y += w2[j] * v;
    }
    return y;
  }

  predict(x) { return this._output(x); }

  /** Mean over all the points of (y − target)² at the current parameters. */
  get loss() {
    if (this._loss === null) {
      let s = 0;
      for (let i = 0; i < this.x.length; i++) {
        const r = this._output(this.x[i]) - this.t[i];
        s += r * r;
      }
      this._loss = s / this.x.length;
    }
    return this._loss;
  }

  /** One gradient-descent step on the next batch; returns the batch loss before the step. */
  _step() {
    const { width, w1, b1, w2, h, dh, x: xs, t: ts } = this, { w1: g1, b1: gb, w2: g2 } = this.grad;
    const idx = this.nextBatch ? this.nextBatch() : null, m = idx ? idx.length : xs.length;
    const c = 2 / m;
    g1.fill(0); gb.fill(0); g2.fill(0);
    let gb2 = 0, s = 0;
    for (let k = 0; k < m; k++) {
      const i = idx ? idx[k] : k, x = xs[i];
      const r = this._output(x) - ts[i];
      s += r * r;
      const g = c * r;
      gb2 += g;
      for (let j = 0; j < width; j++) {
        g2[j] += g * h[j];
        const d = g * w2[j] * dh[j];
        g1[j] += d * x;
        gb[j] += d;
      }
    }
    const lr = this.lr;
    for (let j = 0; j < width; j++) {
      w1[j] -= lr * g1[j];
      b1[j] -= lr * gb[j];
      w2[j] -= lr * g2[j];
    }
    this.b2 -= lr * gb2;
    return s / m;
  }

  /** n steps; the loss on all points after each is appended to history. */
  step(n = 1) {
    for (let k = 0; k < n; k++) {
      const before = this._step();
      this._loss = null;
      // On the full batch the step's own loss is the loss before it: no second pass needed.
      if (!this.nextBatch && this.history.length) this.history[this.history.length - 1] = before;
      this.stepCount++;
      this.history.push(this.nextBatch ? this.loss : NaN);
    }
    if (!this.nextBatch && n > 0) this.history[this.history.length - 1] = this.loss;
    return this.state;
  }

  get state() {
    return { step: this.stepCount, loss: this.loss, w1: Array.from(this.w1), b1: Array.from(this.b1),
      w2: Array.from(this.w2), b2: this.b2 };
  }
}

// Colours: the "neurons" view's (relu_guide.drawing.style.unit_colors), viridis cut per theme.
const OKABE = ["#E69F00", "#009E73", "#CC79A7", "#56B4E9"];
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779",
  "#6ece58", "#b5de2b", "#fde725"];

/** Colours of n units, as relu_guide.drawing.style.unit_colors(n, dark). */
export function unitColors(n, dark = false) {
  if (n <= 4) return OKABE.slice(0, n);
  const [lo, hi] = dark ? [0.3, 1] : [0, 0.78], rgb = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
  return Array.from({ length: n }, (_, k) => {
    const v = (lo + ((hi - lo) * k) / (n - 1)) * (VIRIDIS.length - 1), i = Math.min(Math.floor(v), VIRIDIS.length - 2);
    const a = rgb(VIRIDIS[i]), b = rgb(VIRIDIS[i + 1]), f = v - i;
    return `rgb(${a.map((c, q) => Math.round(c + (b[q] - c) * f)).join(",")})`;
  });
}

// The element.
const Base = globalThis.HTMLElement ?? class {};
const ATTRS = ["target", "width", "activation", "lr", "batch", "seed", "slope", "preset", "speed"];
const fmt = (v) => (!Number.isFinite(v) ? "–" : v === 0 ? "0" : Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(2) : v.toPrecision(3));
const html = (s) => { const t = document.createElement("template"); t.innerHTML = s.trim(); return t.content.firstChild; };
let uid = 0;

export class ReluPlayground extends Base {
  static observedAttributes = ATTRS;

  constructor() {
    super();
    this.data = { presets: {}, line: {}, best: {} };
    this._playing = false;
    this._sgdBest = Infinity;
    this._hand = null;
  }

  connectedCallback() {
    if (this._built) return;
    const json = this.querySelector("script.relu-playground-data");
    if (json) this.data = { ...this.data, ...JSON.parse(json.textContent) };
    this._build();
    if (this.hasAttribute("share")) this._fromHash();
    if (!this.trainer) this._configure();
    this._resize = new ResizeObserver(() => this.draw());
    this._resize.observe(this._fit);
    const redraw = () => this.draw();
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", redraw);
    new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ["data-theme"] });
    const reduced = matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (this.hasAttribute("autoplay") && !reduced) this.play();
  }

  disconnectedCallback() { this.pause(); }

  attributeChangedCallback() {
    if (this._built && !this._syncing) this._configure();
  }

  _opt(name, fallback) { return this.getAttribute(name) ?? fallback; }

  /** Read the attributes into a fresh Trainer (an error is shown, naming the bad value). */
  _configure(params = null) {
    const preset = this.data.presets[this._opt("preset", "")];
    const num = (name, d) => Number(this._opt(name, d));
    const batch = this._opt("batch", "full");
    try {
      this.trainer = new Trainer({
        target: this._opt("target", preset?.target ?? "square"),
        width: preset ? preset.w1.length : num("width", 20),
        activation: this._opt("activation", "relu"),
        lr: num("lr", 0.01),
        batch: batch === "full" ? "full" : Number(batch),
        seed: num("seed", 0),
        slope: num("slope", LEAKY_SLOPE),
        params: params ?? preset ?? null,
      });
      this._error.textContent = "";
    } catch (e) {
      this._error.textContent = e.message;
      if (!this.trainer) this.trainer = new Trainer();
    }
    this._sgdBest = this._start = this.trainer.loss;
    this._hand = null;
    this._syncControls();
    this._handlesFor(this.trainer.width);
    this.draw();
    this._announce();
  }

  get points() { return Array.from(this.trainer.x); }
  get state() { return this.trainer.state; }

  step(n = 1) {
    const t = this.trainer, state = t.step(n);
    if (Number.isFinite(t.loss)) this._sgdBest = Math.min(this._sgdBest, t.loss);
    else { this.pause(); this._error.textContent = `The loss diverged at step ${t.stepCount}: lower the learning rate.`; }
    if (!this._playing && !this._queued) { // a step through the API: the plots follow at the next frame
      this._queued = true;
      requestAnimationFrame(() => { this._queued = false; this.draw(); });
    }
    return state;
  }

  reset() {
    this.pause();
    this._configure();
    this._share();
    return this.state;
  }

  setParams(params) {
    this.trainer.setParams(params);
    this._hand = this.trainer.loss;
    this.draw();
    this._announce();
    this._share();
    return this.state;
  }

  play() {
    if (this._playing) return;
    this._playing = true;
    this._syncControls();
    const frame = () => {
      if (!this._playing) return;
      this.step(Number(this._opt("speed", 10)));
      this.draw();
      this._announce(true);
      this.dispatchEvent(new CustomEvent("step", { detail: { step: this.trainer.stepCount, loss: this.trainer.loss } }));
      if (this._playing) this._raf = requestAnimationFrame(frame);
    };
    this._raf = requestAnimationFrame(frame);
  }

  pause() {
    if (!this._playing) return;
    this._playing = false;
    cancelAnimationFrame(this._raf);
    this._syncControls();
    this._announce();
    this._share();
  }

  // --- DOM
  _build() {
    this._built = true;
    const id = `pg${uid++}`, sel = (name, label, opts) => `<label>${label} <select name="${name}">${opts
      .map((o) => `<option value="${o[0]}">${o[1]}</option>`).join("")}</select></label>`;
    const num = (name, label, attrs) => `<label>${label} <input name="${name}" type="number" ${attrs}></label>`;
    const presets = Object.entries(this.data.presets);
    this.replaceChildren(html(`<div class="pg">
<div class="pg-controls" role="group" aria-label="Playground settings">
${presets.length ? sel("preset", "Start from", [["", "the seed"], ...presets.map(([k, p]) => [k, p.label])]) : ""}
${sel("target", "Target", Object.keys(TARGETS).map((k) => [k, k]))}
${num("width", "Width", 'min="1" max="64" step="1"')}
${sel("activation", "Activation", ACTIVATIONS.map((k) => [k, k.replace("_", " ")]))}
${num("lr", "Learning rate", 'min="0" step="any"')}
${sel("batch", "Batch", BATCHES.map((k) => [k, k]))}
${num("seed", "Seed", 'min="0" step="1"')}
</div>
<div class="pg-buttons">
<button type="button" data-do="play" aria-pressed="false">Play</button>
<button type="button" data-do="step">Step</button>
<button type="button" data-do="reset">Reset</button>
</div>
<div class="pg-fit"><canvas role="img" aria-label="The target (dashed), the network's output and each unit's piece, with its kinks on the x axis"></canvas><div class="pg-handles" role="group" aria-label="Kinks: arrows left and right move one, up and down change its ramp's slope" id="${id}h"></div></div>
<canvas class="pg-loss" role="img" aria-label="The loss over the steps, on a log scale, against the best line and the best net of this width that the guide's search found"></canvas>
<p class="pg-readout" aria-live="polite"></p>
<p class="pg-beat"></p>
<p class="pg-error" role="alert"></p>
</div>`));
    const $ = (s) => this.querySelector(s);
    this._fit = $(".pg-fit canvas");
    this._lossCanvas = $(".pg-loss");
    this._handles = $(".pg-handles");
    this._readout = $(".pg-readout");
    this._beat = $(".pg-beat");
    this._error = $(".pg-error");
    this.querySelector(".pg-controls").addEventListener("change", (e) => this._onControl(e.target));
    this.querySelector(".pg-buttons").addEventListener("click", (e) => {
      const what = e.target.closest("button")?.dataset.do;
      if (what === "play") this._playing ? this.pause() : this.play();
      else if (what === "step") { this.pause(); this.step(1); this.draw(); this._announce(); this._share(); }
      else if (what === "reset") this.reset();
    });
  }

  _onControl(input) {
    const { name, value } = input;
    this._syncing = true;
    if (name === "preset") {
      if (value) this.setAttribute("preset", value); else this.removeAttribute("preset");
    } else {
      if (name === "width" || name === "seed") this.removeAttribute("preset");
      this.setAttribute(name, value);
    }
    this._syncing = false;
    const keep = ["target", "activation", "lr", "batch"].includes(name) && !this.trainer.stepCount;
    this.pause();
    this._configure(keep && this._hand !== null ? this.trainer.state : null);
    this._share();
  }

  _syncControls() {
    const t = this.trainer, set = (name, v) => {
      const el = this.querySelector(`[name="${name}"]`);
      if (!el) return;
      if (el.tagName === "SELECT" && ![...el.options].some((o) => o.value === String(v))) el.add(new Option(v, v));
      el.value = String(v);
    };
    set("preset", this.data.presets[this._opt("preset", "")] ? this._opt("preset", "") : "");
    set("target", t.target); set("width", t.width); set("activation", t.activation);
    set("lr", t.lr); set("batch", t.batch); set("seed", t.seed);
    const play = this.querySelector('[data-do="play"]');
    play.textContent = this._playing ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(this._playing));
  }

  _announce(throttle = false) {
    const now = performance.now();
    if (throttle && now - (this._said ?? 0) < 1000) return;
    this._said = now;
    const t = this.trainer;
    this._readout.textContent = `Step ${t.stepCount}, loss ${fmt(t.loss)}.`;
    const best = this._best();
    this._beat.textContent = this._hand === null ? "Can you beat SGD? Drag a kink, or use the arrow keys on it." :
      `Can you beat SGD? Your net: ${fmt(this._hand)}; SGD's best since the reset: ${fmt(this._sgdBest)}` +
      (best ? `; the best width-${t.width} net the guide's search found: ${fmt(best)}.` : ".");
  }

  _best() {
    const t = this.trainer;
    const best = t.activation === "relu" ? this.data.best[t.target]?.[t.width] : undefined;
    return best === undefined ? best : Math.max(best, 1e-12); // 0 up to round-off: drawn at 1e-12
  }

  // --- kinks: one slider per unit
  _handlesFor(width) {
    const box = this._handles;
    while (box.children.length > width) box.lastChild.remove();
    while (box.children.length < width) {
      const j = box.children.length, k = html(`<span class="pg-kink" role="slider" tabindex="0" aria-valuemin="${DOMAIN[0]}" aria-valuemax="${DOMAIN[1]}"></span>`);
      k.addEventListener("keydown", (e) => this._key(e, j));
      k.addEventListener("pointerdown", (e) => this._grab(e, j));
      box.append(k);
    }
  }

  /** Move unit j's kink to x (keeping w1) and raise its ramp's slope by ds. */
  _edit(j, x, ds) {
    const t = this.trainer, s = t.state, w = s.w1[j];
    if (w === 0) return;
    if (x !== null) s.b1[j] = -w * Math.min(Math.max(x, DOMAIN[0]), DOMAIN[1]);
    if (ds) s.w2[j] += ds / Math.abs(w);
    this.pause();
    this.setParams(s);
  }

  _key(e, j) {
    const big = e.shiftKey ? 1 : 0.1, x = kinks(this.trainer)[j].x;
    const move = { ArrowLeft: [-big, 0], ArrowRight: [big, 0], ArrowUp: [0, big], ArrowDown: [0, -big] }[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation(); // the arrows are the kink's, not the page's (furo turns pages with them)
    const from = Number.isFinite(x) ? Math.min(Math.max(x, DOMAIN[0]), DOMAIN[1]) : 0;
    this._edit(j, move[0] ? from + move[0] : null, move[1]);
  }

  _grab(e, j) {
    const k = e.currentTarget;
    k.setPointerCapture(e.pointerId);
    k.focus();
    let lastY = e.clientY;
    const move = (ev) => {
      const r = this._fit.getBoundingClientRect(), a = this._axes;
      const x = a.x0 + ((ev.clientX - r.left - a.left) / a.w) * (a.x1 - a.x0);
      const ds = ((lastY - ev.clientY) / a.h) * (a.y1 - a.y0);
      lastY = ev.clientY;
      this._edit(j, x, ds);
    };
    const up = () => { k.removeEventListener("pointermove", move); k.removeEventListener("pointerup", up); k.removeEventListener("pointercancel", up); };
    k.addEventListener("pointermove", move);
    k.addEventListener("pointerup", up);
    k.addEventListener("pointercancel", up);
  }

  // --- share: the state in the URL hash
  _share() {
    if (!this.hasAttribute("share")) return;
    const t = this.trainer, q = new URLSearchParams();
    for (const a of ["target", "width", "activation", "lr", "batch", "seed", "slope"]) q.set(a, String(t[a]));
    if (this.data.presets[this._opt("preset", "")]) q.set("preset", this._opt("preset", ""));
    q.set("step", String(t.stepCount));
    q.set("p", [...t.w1, ...t.b1, ...t.w2, t.b2].join(","));
    history.replaceState(null, "", `#playground?${q}`);
  }

  _fromHash() {
    const m = location.hash.match(/^#playground\?(.*)$/);
    if (!m) return;
    const q = new URLSearchParams(m[1]), p = (q.get("p") ?? "").split(",").map(Number);
    this._syncing = true;
    for (const a of ATTRS) if (q.has(a)) this.setAttribute(a, q.get(a));
    if (!q.has("preset")) this.removeAttribute("preset");
    this._syncing = false;
    const w = Number(q.get("width")), params = p.length === 3 * w + 1 ?
      { w1: p.slice(0, w), b1: p.slice(w, 2 * w), w2: p.slice(2 * w, 3 * w), b2: p[3 * w] } : null;
    this._configure(params);
    this.trainer.stepCount = Number(q.get("step")) || 0;
  }

  // --- drawing
  _canvas(cv) {
    const dpr = devicePixelRatio || 1, w = cv.clientWidth, h = cv.clientHeight;
    if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
      cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
    }
    const g = cv.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    return [g, w, h];
  }

  /** Draw both plots and place the kink handles. */
  draw() {
    if (!this._built || !this.trainer || !this._fit.clientWidth) return;
    const css = getComputedStyle(this), v = (n) => css.getPropertyValue(n).trim();
    const c = { bg: v("--pg-bg"), fg: v("--pg-fg"), muted: v("--pg-muted"), grid: v("--pg-grid"), out: v("--pg-out"), target: v("--pg-target") };
    const dark = v("--pg-dark") === "1", font = `12px ${css.fontFamily}`;
    this._drawFit(c, dark, font);
    this._drawLoss(c, font);
  }

  _drawFit(c, dark, font) {
    const t = this.trainer, [g, W, H] = this._canvas(this._fit), [x0, x1] = DOMAIN;
    let lo = Infinity, hi = -Infinity;
    for (const y of t.t) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    const pad = 0.15 * (hi - lo || 1), y0 = lo - pad, y1 = hi + pad;
    const a = (this._axes = { left: 36, top: 8, w: W - 44, h: H - 40, x0, x1, y0, y1 });
    const px = (x) => a.left + ((x - x0) / (x1 - x0)) * a.w, py = (y) => a.top + ((y1 - y) / (y1 - y0)) * a.h;
    g.font = font;
    g.lineWidth = 1;
    g.strokeStyle = c.grid;
    g.fillStyle = c.muted;
    g.textAlign = "center";
    for (let x = x0; x <= x1; x++) { g.beginPath(); g.moveTo(px(x), a.top); g.lineTo(px(x), a.top + a.h); g.stroke(); if (x % 5 === 0) g.fillText(String(x), px(x), a.top + a.h + 26); }
    g.textAlign = "right";
    const e = 10 ** Math.floor(Math.log10((hi - lo) / 3 || 1)), tick = [1, 2, 5, 10].map((m) => m * e).find((d) => (hi - lo) / d <= 4);
    for (let y = Math.ceil(y0 / tick) * tick; y <= y1; y += tick) g.fillText(String(+y.toPrecision(3)), a.left - 4, py(y) + 4);
    g.save();
    g.beginPath(); g.rect(a.left, a.top, a.w, a.h); g.clip();
    const n = 241, xs = Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1));
    // (Leaky) ReLU pieces and output are straight between kinks: their corners are enough.
    const ks = kinks(t), pl = t.activation.endsWith("relu"), inner = (x) => x0 < x && x < x1;
    const line = (f, color, width, dash = [], at = xs) => {
      g.beginPath(); g.setLineDash(dash); g.strokeStyle = color; g.lineWidth = width;
      at.forEach((x, i) => (i ? g.lineTo(px(x), py(f(x))) : g.moveTo(px(x), py(f(x)))));
      g.stroke();
    };
    const key = `${t.width}${dark}`, colors = this._colors?.key === key ? this._colors.list : unitColors(t.width, dark);
    this._colors = { key, list: colors };
    for (let j = 0; j < t.width; j++) {
      line((x) => { t._phi(j, t.w1[j] * x + t.b1[j]); return t.w2[j] * t.h[j]; }, colors[j], 1.2, [],
        pl ? [x0, ...(inner(ks[j].x) ? [ks[j].x] : []), x1] : xs);
    }
    line(TARGETS[t.target], c.target, 2, [6, 4]);
    line((x) => t.predict(x), c.out, 2.6, [], pl ? [x0, ...ks.map((k) => k.x).filter(inner).sort((a, b) => a - b), x1] : xs);
    g.restore();
    g.setLineDash([]);
    g.strokeStyle = c.fg;
    g.beginPath(); g.moveTo(a.left, a.top + a.h); g.lineTo(a.left + a.w, a.top + a.h); g.stroke();
    [...this._handles.children].forEach((el, j) => {
      const k = ks[j], x = Number.isFinite(k.x) ? Math.min(Math.max(k.x, x0), x1) : 0;
      el.style.left = `${px(x)}px`;
      el.style.top = `${a.top + a.h}px`;
      el.style.setProperty("--pg-unit", colors[j]);
      el.dataset.state = k.state;
      el.setAttribute("aria-valuenow", x.toFixed(2));
      el.setAttribute("aria-label", `Unit ${j + 1} kink`);
      el.setAttribute("aria-valuetext", `unit ${j + 1}: ${k.state === "kink" ? "kink" : k.state} at x = ${fmt(k.x)}, ramp slope ${fmt(t.w2[j] * Math.abs(t.w1[j]))}`);
    });
  }

  _drawLoss(c, font) {
    if (!this._playing) this._announce();
    const t = this.trainer, [g, W, H] = this._canvas(this._lossCanvas), hist = t.history;
    const at = (k) => (k ? hist[k - 1] : this._start), count = hist.length + 1;
    const line = this.data.line[t.target], best = this._best();
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < count; k++) { const v = at(k); if (v > 0 && v < Infinity) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    for (const v of [line, best]) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(lo < Infinity)) { lo = 0.1; hi = 10; }
    const l0 = Math.floor(Math.log10(lo)), l1 = Math.max(Math.ceil(Math.log10(hi) + 1e-9), l0 + 1);
    const a = { left: 48, top: 8, w: W - 56, h: H - 30 }, n = Math.max(100, t.stepCount);
    const px = (k) => a.left + (k / n) * a.w, py = (v) => a.top + ((l1 - Math.log10(v)) / (l1 - l0 || 1)) * a.h;
    g.font = font;
    g.fillStyle = c.muted;
    g.strokeStyle = c.grid;
    g.textAlign = "right";
    const every = Math.ceil((l1 - l0) / 6);
    for (let e = l0; e <= l1; e += every) { g.beginPath(); g.moveTo(a.left, py(10 ** e)); g.lineTo(a.left + a.w, py(10 ** e)); g.stroke(); g.fillText(`1e${e}`, a.left - 4, py(10 ** e) + 4); }
    g.textAlign = "left";
    g.fillText(`steps: ${t.stepCount}`, a.left, H - 6);
    const hline = (v, label, dash) => {
      if (!(v > 0)) return;
      g.setLineDash(dash); g.strokeStyle = c.muted; g.lineWidth = 1.2;
      g.beginPath(); g.moveTo(a.left, py(v)); g.lineTo(a.left + a.w, py(v)); g.stroke();
      const lw = g.measureText(label).width + 6;
      g.fillStyle = c.bg; g.fillRect(a.left + a.w - lw, py(v) - 17, lw, 14);
      g.fillStyle = c.muted; g.textAlign = "right"; g.fillText(label, a.left + a.w, py(v) - 6);
    };
    hline(line, "best line", [5, 4]);
    hline(best, `best width-${t.width} net`, [2, 3]);
    g.setLineDash([]);
    g.strokeStyle = c.out;
    g.lineWidth = 2;
    g.beginPath();
    const stride = Math.max(1, Math.floor(count / a.w));
    for (let k = 0; k < count; k += stride) {
      const v = at(k);
      if (v > 0 && v < Infinity) k ? g.lineTo(px(k), py(v)) : g.moveTo(px(k), py(v));
    }
    g.stroke();
  }
}

if (globalThis.customElements && !customElements.get("relu-playground")) {
  customElements.define("relu-playground", ReluPlayground);
}
