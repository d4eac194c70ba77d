// Wires the optimizer lab: the wasm core, the state and its link, the controls, the
// views, the player, presets, keyboard and export. Every input event updates the state
// and the core at once; drawing happens once per animation frame.

import init, { OptimizerLab, catalogue as readCatalogue, palette as readPalette } from '../pkg/gradscape.js';
import { buildControls } from './controls.js';
import { chartView } from './chart-view.js';
import { el } from './dom.js';
import { exportCsv, exportJson, exportPng, exportSvg, recordRace } from './export.js';
import { captionFor, frameScheduler, linkKeeper, showProblems } from './page.js';
import { formatValue } from './params.js';
import { createPlayer } from './player.js';
import { PRESETS } from './presets.js';
import { defaultOptimizer, initialState, labelOf, MAX_OPTIMIZERS, readHash, writeHash } from './state.js';
import { surfaceView } from './surface-view.js';

/** Path mode shows every iterate. */
const ALL = 0xffffffff;
const embed = document.body.classList.contains('embed');
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

async function main() {
  await init();
  const catalogue = readCatalogue();
  const palette = readPalette();
  const lab = new OptimizerLab();
  const state = initialState(catalogue);
  let info = null; // the surface's view, start and critical points
  let hover = null; // { path, step }: the iterate under the pointer
  let recorder = null;

  // The page's skeleton.
  const app = document.getElementById('lab');
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const caption = el('p', { class: 'caption', id: 'caption', hidden: true });
  const surfaceRoot = el('div', { class: 'surface-view', id: 'surface-view' });
  const badges = el('ul', { class: 'badges', id: 'badges', 'aria-live': 'polite' });
  const readout = el('p', { class: 'readout', id: 'readout', 'aria-live': 'polite' });
  const chartRoot = el('div', { class: 'chart-view', id: 'chart-view' });
  const openFull = embed ? el('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in gradscape ↗') : null;
  const form = el('form', { class: 'controls', id: 'controls', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  app.append(
    el('section', { class: 'views', 'aria-label': 'Surface and loss' }, notice, caption, surfaceRoot, badges, readout, chartRoot, openFull),
    form,
  );

  const upto = () => (state.mode === 'race' ? player.frame : ALL);
  const labels = () => state.optimizers.map(labelOf);
  const zoom = embed ? Math.min(2.5, Math.max(1, innerHeight / 360)) : 1;

  function draw() {
    surface.draw(upto(), hover);
    if (!chartRoot.hidden) chart.draw(upto(), hover);
    recorder?.frame();
  }
  const requestDraw = frameScheduler(draw);

  const optimizerItem = (o) => ({ id: o.id, params: o.params, enabled: o.enabled });

  /** After any recompute: statuses, legend, the race's length, the link, a redraw. */
  function computed() {
    const statuses = lab.statuses();
    controls.showStatuses(statuses);
    showBadges(statuses);
    showLegend();
    player.setLength(lab.longest());
    remember();
    requestDraw();
  }

  function showBadges(statuses) {
    badges.replaceChildren(...statuses.flatMap((s, i) => {
      const optimizer = state.optimizers[i];
      if (!optimizer.enabled || !['diverged', 'error'].includes(s.kind)) return [];
      return [el('li', { class: `badge ${s.kind}`, style: { '--colour': palette[i % palette.length] } },
        s.kind === 'diverged' ? `${labelOf(optimizer)}: diverged at step ${s.step}` : `${optimizer.id}: ${s.error}`)];
    }));
  }

  function showLegend() {
    surface.legend.replaceChildren(...state.optimizers.flatMap((o, i) =>
      o.enabled ? [el('li', { style: { '--colour': palette[i % palette.length] } }, labelOf(o))] : []));
  }

  const number = (v) => formatValue(Number(v.toPrecision(4)));
  function showReadout() {
    if (!hover) {
      readout.textContent = '';
      return;
    }
    const parts = state.optimizers.flatMap((o, i) => {
      if (!o.enabled || (hover.path >= 0 && hover.path !== i)) return [];
      const points = lab.iterates(i);
      const k = 3 * hover.step;
      if (k + 2 >= points.length) return [];
      return [`${o.id}: f = ${number(points[k + 2])} at (${number(points[k])}, ${number(points[k + 1])})`];
    });
    readout.textContent = `iteration ${hover.step} — ${parts.join(' · ')}`;
  }

  function setHover(next) {
    hover = next;
    showReadout();
    requestDraw();
  }

  // The link: written back (throttled) after every change, read when it changes.
  const link = linkKeeper(() => writeHash(state, catalogue), () => {
    showShare();
    showCaption(link.written);
  });
  const remember = () => link.remember();

  function showShare() {
    const base = new URL('.', location.href);
    const full = new URL(`index.html#${link.written}`, base).href;
    const embedLink = new URL(`embed.html#${link.written}`, base).href;
    if (openFull) openFull.href = full;
    controls.showShare?.(full,
      `<iframe src="${embedLink}" width="960" height="540" style="border:0" title="gradscape: ${state.surface.id}" loading="lazy"></iframe>`);
  }

  const showCaption = captionFor(caption, PRESETS, (hash) => writeHash(readHash(hash, catalogue).state, catalogue));

  /** Makes the core and the controls match the state; problems are shown. */
  function apply(problems) {
    player.stop();
    try {
      info = lab.set_surface(state.surface);
    } catch (error) {
      problems.push({ key: 'surface', reason: error.message });
      state.surface = initialState(catalogue).surface;
      info = lab.set_surface(state.surface);
    }
    if (state.view) {
      try {
        lab.set_view(...state.view.x, ...state.view.y);
        info.view = state.view;
      } catch (error) {
        problems.push({ key: 'view', reason: error.message });
        state.view = null;
      }
    }
    try {
      if (state.start) lab.set_start(...state.start);
    } catch (error) {
      problems.push({ key: 'start', reason: error.message });
      state.start = null;
    }
    state.start ??= [...info.start];
    lab.set_steps(state.steps);
    lab.set_noise(state.noise, BigInt(state.seed));
    lab.set_optimizers(state.optimizers.map(optimizerItem));
    lab.statuses().forEach((s, i) => {
      if (s.kind !== 'error') return;
      problems.push({ key: 'opt', reason: s.error });
      state.optimizers[i] = defaultOptimizer(catalogue, state.optimizers[i].id, true);
      lab.set_optimizer(i, optimizerItem(state.optimizers[i]));
    });
    player.setSpeed(state.speed);
    controls.rebuild();
    surface.invalidate();
    computed();
    showProblems(notice, problems);
    if (state.mode === 'race' && state.play && !reducedMotion) player.play();
  }

  function load(hash) {
    const { state: next, problems } = readHash(hash, catalogue);
    Object.assign(state, next);
    apply(problems);
    link.written = writeHash(state, catalogue);
    showCaption(link.written);
  }

  function setStart(point) {
    // Snap to a thousandth of the view, so that links stay short and exact.
    const unit = 10 ** Math.floor(Math.log10((info.view.x[1] - info.view.x[0]) / 1000));
    const snapped = point.map((v) => Number((Math.round(v / unit) * unit).toPrecision(12)));
    try {
      lab.set_start(...snapped);
    } catch {
      return; // a point the surface cannot evaluate: keep the last one
    }
    state.start = snapped;
    controls.showStart(snapped);
    computed();
  }

  function setMode(name) {
    state.mode = name;
    const playerElement = document.getElementById('player');
    playerElement.hidden = name !== 'race' || playerElement.dataset.chosen === 'false';
    for (const radio of form.querySelectorAll('input[name="mode"]')) radio.checked = radio.value === name;
    if (name !== 'race') player.stop();
    remember();
    requestDraw();
  }

  const handlers = {
    surface(spec) {
      try {
        info = lab.set_surface(spec);
      } catch (error) {
        controls.surfaceError(error.message);
        return;
      }
      const changedSurface = spec.id !== state.surface.id;
      state.surface = spec;
      state.view = null;
      state.start = [...info.start];
      if (changedSurface) controls.rebuild();
      else controls.surfaceError('');
      controls.showStart(state.start);
      surface.invalidate();
      computed();
    },
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
    mode: setMode,
    speed(n) {
      state.speed = n;
      player.setSpeed(n);
      remember();
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
    add(id) {
      if (state.optimizers.length >= MAX_OPTIMIZERS) return;
      const twin = state.optimizers.find((o) => o.id === id);
      const added = twin ? structuredClone({ ...twin, enabled: true }) : defaultOptimizer(catalogue, id, true);
      const index = state.optimizers.findLastIndex((o) => o.id === id) + 1 || state.optimizers.length;
      state.optimizers.splice(index, 0, added);
      lab.set_optimizers(state.optimizers.map(optimizerItem));
      controls.rebuild();
      computed();
      document.querySelector(`li[data-index="${index}"] input[type="range"]`)?.focus();
    },
    remove(index) {
      state.optimizers.splice(index, 1);
      lab.set_optimizers(state.optimizers.map(optimizerItem));
      controls.rebuild();
      computed();
    },
    copy(input, what) {
      const said = document.getElementById('copied');
      navigator.clipboard.writeText(input.value).then(
        () => (said.textContent = `The ${what} is copied.`),
        () => {
          input.select();
          said.textContent = `Press Ctrl+C (⌘C) to copy the ${what}.`;
        });
    },
    export(format) {
      const names = labels();
      if (format === 'png') exportPng(lab, { background: surface.background, upto: upto(), labels: names });
      if (format === 'svg') exportSvg(lab, names);
      if (format === 'csv') exportCsv(lab, state, names);
      if (format === 'json') exportJson(lab, state, names, location.href);
      if (format === 'webm') {
        setMode('race');
        player.reset();
        recorder = recordRace(surface.background, surface.foreground);
        player.play();
      }
    },
    rebuilt() {
      player.attach({
        play: document.getElementById('play'),
        step: document.getElementById('step'),
        reset: document.getElementById('reset'),
        frame: document.getElementById('frame'),
      });
      if (state.start) controls.showStart(state.start);
      chartRoot.hidden = embed && !(state.controls ?? []).includes('chart');
      setMode(state.mode);
      if (link.written) showShare();
    },
  };

  const player = createPlayer({
    onFrame: requestDraw,
    onEnd() {
      recorder?.stop();
      recorder = null;
    },
  });
  const surface = surfaceView(surfaceRoot, lab, {
    zoom,
    onStart: setStart,
    onHover: setHover,
    onResize: requestDraw,
    getView: () => info.view,
  });
  const chart = chartView(chartRoot, lab, { zoom, onHover: setHover, onResize: requestDraw });
  const controls = buildControls(form, { catalogue, state, palette, embed, handlers });

  // A presenter's clicker: space plays or pauses (starting a race), → and PageDown step
  // forward, ← and PageUp step back, r resets. Never while typing or on a slider.
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target.matches?.('input:not([type="checkbox"]):not([type="radio"]), select, textarea, [contenteditable]');
    const activates = target.matches?.('button, a, input[type="checkbox"], input[type="radio"]');
    if (typing || (activates && (event.key === ' ' || event.key === 'Enter'))) return;
    const actions = {
      ' ': () => (state.mode === 'race' ? player.toggle() : (setMode('race'), player.play())),
      ArrowRight: () => (setMode('race'), player.step(1)),
      PageDown: () => (setMode('race'), player.step(1)),
      ArrowLeft: () => (setMode('race'), player.step(-1)),
      PageUp: () => (setMode('race'), player.step(-1)),
      r: () => player.reset(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  if (!embed) {
    const gallery = document.getElementById('presets');
    gallery.append(...PRESETS.map((p) => el('li', {}, el('a', { href: `#${p.hash}`, title: p.caption }, p.title))));
  }
  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== link.written) load(location.hash);
  });
  load(location.hash);
  app.setAttribute('aria-busy', 'false');
  window.gradscape = { lab, state, draw, catalogue }; // for the browser tests, benchmarks and the curious
}

main().catch((error) => {
  const fatal = document.getElementById('fatal');
  fatal.textContent = `gradscape could not start: ${error.message}`;
  fatal.hidden = false;
  console.error(error);
});
