// Wires the optimizer lab: the wasm core, the state, the controls, the views and the
// player. Every input event updates the state and the core at once; drawing happens
// once per animation frame.

import init, { OptimizerLab, catalogue as readCatalogue, palette as readPalette } from '../pkg/gradscape.js';
import { buildControls } from './controls.js';
import { chartView } from './chart-view.js';
import { createPlayer } from './player.js';
import { formatValue } from './params.js';
import { initialState, labelOf } from './state.js';
import { surfaceView } from './surface-view.js';

/** Path mode shows every iterate. */
const ALL = 0xffffffff;

async function main() {
  await init();
  const catalogue = readCatalogue();
  const palette = readPalette();
  const lab = new OptimizerLab();
  const state = initialState(catalogue);
  let info = null; // the surface's view, start and critical points
  let hover = null; // { path, step }: the iterate under the pointer
  let frameRequested = false;

  const upto = () => (state.mode === 'race' ? player.frame : ALL);

  function draw() {
    surface.draw(upto(), hover);
    chart.draw(upto(), hover);
    if (!performance.getEntriesByName('gradscape:first-draw').length) {
      performance.mark('gradscape:first-draw');
    }
  }

  function requestDraw() {
    if (frameRequested) return;
    frameRequested = true;
    requestAnimationFrame(() => {
      frameRequested = false;
      draw();
    });
  }

  const optimizerItem = (o) => ({ id: o.id, params: o.params, enabled: o.enabled });

  const legend = document.getElementById('legend');
  function showLegend() {
    legend.replaceChildren(
      ...state.optimizers.flatMap((o, i) => {
        if (!o.enabled) return [];
        const item = document.createElement('li');
        item.style.setProperty('--colour', palette[i % palette.length]);
        item.textContent = labelOf(o);
        return [item];
      }),
    );
  }

  /** After any recompute: statuses, the race's length, and a redraw. */
  function computed() {
    const statuses = lab.statuses();
    controls.showStatuses(statuses);
    showBadges(statuses);
    showLegend();
    player.setLength(lab.longest());
    requestDraw();
  }

  const badges = document.getElementById('badges');
  function showBadges(statuses) {
    badges.replaceChildren();
    statuses.forEach((s, i) => {
      const optimizer = state.optimizers[i];
      if (!optimizer.enabled || !['diverged', 'error'].includes(s.kind)) return;
      const badge = document.createElement('li');
      badge.className = `badge ${s.kind}`;
      badge.style.setProperty('--colour', palette[i % palette.length]);
      badge.textContent =
        s.kind === 'diverged' ? `${optimizer.id}: diverged at step ${s.step}` : `${optimizer.id}: ${s.error}`;
      badges.append(badge);
    });
  }

  const readout = document.getElementById('readout');
  function showReadout() {
    if (!hover) {
      readout.textContent = '';
      return;
    }
    const shown = state.optimizers
      .map((o, i) => ({ o, i }))
      .filter(({ o, i }) => o.enabled && (hover.path < 0 || hover.path === i));
    const parts = shown.flatMap(({ o, i }) => {
      const points = lab.iterates(i);
      const k = 3 * hover.step;
      if (k + 2 >= points.length) return [];
      const at = `(${formatValue(Number(points[k].toPrecision(4)))}, ${formatValue(Number(points[k + 1].toPrecision(4)))})`;
      return [`${o.id}: f = ${formatValue(Number(points[k + 2].toPrecision(4)))} at ${at}`];
    });
    readout.textContent = `iteration ${hover.step} — ${parts.join(' · ')}`;
  }

  function setHover(next) {
    hover = next;
    showReadout();
    requestDraw();
  }

  function setSurface(spec) {
    try {
      info = lab.set_surface(spec);
    } catch (error) {
      controls.surfaceError(error.message);
      return;
    }
    controls.surfaceError('');
    state.surface = spec;
    state.start = [...info.start];
    controls.showSurface();
    controls.showStart(state.start);
    surface.invalidate();
    computed();
  }

  function setStart(point) {
    try {
      lab.set_start(point[0], point[1]);
    } catch {
      return; // a point the surface cannot evaluate: keep the last one
    }
    state.start = point;
    controls.showStart(point);
    computed();
  }

  const controls = buildControls(catalogue, state, palette, {
    surface: setSurface,
    start: setStart,
    steps(n) {
      try {
        lab.set_steps(n);
        state.steps = n;
        computed();
      } catch {
        // out of range: the number input shows what was typed; nothing changes
      }
    },
    noise(sigma, seed) {
      try {
        lab.set_noise(sigma, BigInt(seed));
        state.noise = sigma;
        state.seed = seed;
        computed();
      } catch {
        // a negative σ: ignored, as the slider cannot produce it
      }
    },
    mode(name) {
      state.mode = name;
      document.getElementById('player').hidden = name !== 'race';
      if (name !== 'race') player.stop();
      requestDraw();
    },
    speed(n) {
      state.speed = n;
      player.setSpeed(n);
    },
    optimizer(index, changes) {
      const optimizer = state.optimizers[index];
      Object.assign(optimizer.params, changes.params ?? {});
      if ('enabled' in changes) optimizer.enabled = changes.enabled;
      controls.showOptimizer(index);
      try {
        lab.set_optimizer(index, optimizerItem(optimizer));
      } catch {
        // shown next to the parameter by showStatuses
      }
      computed();
    },
  });

  const player = createPlayer({
    play: document.getElementById('play'),
    step: document.getElementById('step'),
    reset: document.getElementById('reset'),
    frame: document.getElementById('frame'),
    onFrame: requestDraw,
  });
  player.setSpeed(state.speed);

  const surface = surfaceView(document.getElementById('surface-view'), lab, {
    onStart: setStart,
    onHover: setHover,
    onResize: requestDraw,
    getView: () => info.view,
    getStart: () => state.start,
  });
  const chart = chartView(document.getElementById('chart-view'), lab, {
    onHover: setHover,
    onResize: requestDraw,
  });

  lab.set_optimizers(state.optimizers.map(optimizerItem));
  controls.showAll();
  setSurface(state.surface);
  document.getElementById('lab').setAttribute('aria-busy', 'false');
  window.gradscape = { lab, state, draw }; // for the browser tests, benchmarks and the curious
}

main().catch((error) => {
  const fatal = document.getElementById('fatal');
  fatal.textContent = `gradscape could not start: ${error.message}`;
  fatal.hidden = false;
  console.error(error);
});
