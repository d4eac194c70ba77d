// Wires the optimizer lab: the wasm core, the state and its link, the controls, the
// views, the player, presets, keyboard and export. Every input event updates the core
// and, once the core accepts it, the state; drawing happens once per animation frame.

import init, { OptimizerLab, catalogue as readCatalogue, palette as readPalette, presets as readPresets } from '../pkg/optimizers/gradscape.js';
import { buildControls } from './controls.js';
import { chartView } from './chart-view.js';
import { el } from './dom.js';
import { exportCsv, exportJson, exportPng, exportSvg, recordRace } from './export.js';
import { clicker, frameScheduler, gallery, guardCrashes, linkKeeper, shareLinks, showProblems, start } from './page.js';
import { createPlayer } from './player.js';
import { runStatus } from './run-status.js';
import {
  adoptSettings, defaultOptimizer, initialState, labelOf, presetState, problemsOf, readHash, settingsOf, writeHash,
} from './state.js';
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
  let lastGood = null; // the last link drawn without trouble

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
  const requestDraw = frameScheduler(draw, () => (lastGood = link.written ?? lastGood));
  guardCrashes(() => lastGood);

  const optimizerItem = (o) => ({ id: o.id, params: o.params, enabled: o.enabled });

  /** After any change the core accepted: statuses, legend, the race's length, the link, a redraw. */
  function computed() {
    const statuses = lab.statuses();
    controls.showStatuses(statuses);
    runs.show(statuses);
    player.setLength(lab.longest());
    remember();
    requestDraw();
  }

  function setHover(next) {
    hover = next;
    runs.showHover(hover);
    requestDraw();
  }

  // The link: written back (throttled) after every change, read when it changes.
  const link = linkKeeper(() => writeHash(state, catalogue), () => {
    showShare();
    showCaption(link.written);
  });
  const remember = () => link.remember();

  function showShare() {
    const links = shareLinks('index.html', 'embed.html', link.written, `gradscape: ${state.surface.id}`);
    if (openFull) openFull.href = links.full;
    controls.showShare?.(links.full, links.embed);
  }

  const showCaption = gallery(caption, JSON.parse(readPresets()),
    (preset) => writeHash(presetState(catalogue, preset), catalogue));

  /** Makes the core match the state, and the state what the core runs; problems are shown. */
  function apply(problems) {
    player.stop();
    let opened;
    try {
      opened = lab.set_state(settingsOf(state));
    } catch (error) {
      problems.push({ key: 'settings', reason: error.message });
      opened = lab.set_state(settingsOf(initialState(catalogue)));
    }
    adoptSettings(state, opened.settings, catalogue);
    problems.push(...problemsOf(catalogue, opened.problems));
    info = opened.info;
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

  /** Calls `change()` on the core; on success `accept()` updates the state. */
  function attempt(change, accept) {
    try {
      change();
    } catch (error) {
      return error.message;
    }
    accept();
    computed();
    return '';
  }

  const handlers = {
    surface(spec) {
      const message = attempt(() => (info = lab.set_surface(spec)), () => {
        const changedSurface = spec.id !== state.surface.id;
        state.surface = spec;
        state.view = null;
        state.start = [...info.start];
        if (changedSurface) controls.rebuild();
        controls.showStart(state.start);
        surface.invalidate();
      });
      controls.surfaceError(message);
    },
    start: setStart,
    steps: (n) => attempt(() => lab.set_steps(n), () => (state.steps = n)),
    noise: (sigma, seed) => attempt(() => lab.set_noise(sigma, BigInt(seed)), () => {
      state.noise = sigma;
      state.seed = seed;
    }),
    mode: setMode,
    /** Iterates per second, as the link's row reads them (never one it would refuse). */
    speed(n) {
      const most = catalogue.plane.limits.speed;
      if (!(n >= 1 && n <= most)) return `speed must be from 1 to ${most} iterates a second`;
      state.speed = n;
      player.setSpeed(n);
      remember();
      return '';
    },
    /** A changed parameter or tick: the state keeps only what the core accepts. */
    optimizer(index, changes) {
      const current = state.optimizers[index];
      const next = { ...current, params: { ...current.params, ...changes.params } };
      if ('enabled' in changes) next.enabled = changes.enabled;
      const message = attempt(() => lab.set_optimizer(index, optimizerItem(next)), () => {
        state.optimizers[index] = next;
        controls.showOptimizer(index);
      });
      controls.showError(index, message);
    },
    add(id) {
      if (state.optimizers.length >= catalogue.plane.limits.optimizers) return;
      const twin = state.optimizers.find((o) => o.id === id);
      const added = twin ? structuredClone({ ...twin, enabled: true }) : defaultOptimizer(catalogue, id, true);
      const index = state.optimizers.findLastIndex((o) => o.id === id) + 1 || state.optimizers.length;
      const next = state.optimizers.toSpliced(index, 0, added);
      attempt(() => lab.set_optimizers(next.map(optimizerItem)), () => {
        state.optimizers = next;
        controls.rebuild();
      });
      document.querySelector(`li[data-index="${index}"] input[type="range"]`)?.focus();
    },
    remove(index) {
      const next = state.optimizers.toSpliced(index, 1);
      attempt(() => lab.set_optimizers(next.map(optimizerItem)), () => {
        state.optimizers = next;
        controls.rebuild();
      });
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
      if (format === 'csv') exportCsv(lab, names);
      if (format === 'json') exportJson(lab, names, location.href);
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
  const runs = runStatus({ lab, state, palette, surface, badges, readout });
  const controls = buildControls(form, { catalogue, state, palette, embed, handlers });

  // A presenter's clicker: space plays or pauses (starting a race), → and PageDown step
  // forward, ← and PageUp step back, r resets.
  const race = (then) => () => {
    setMode('race');
    then();
  };
  clicker({
    ' ': () => (state.mode === 'race' ? player.toggle() : race(player.play)()),
    ArrowRight: race(() => player.step(1)),
    PageDown: race(() => player.step(1)),
    ArrowLeft: race(() => player.step(-1)),
    PageUp: race(() => player.step(-1)),
    r: () => player.reset(),
  });

  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== link.written) load(location.hash);
  });
  load(location.hash);
  app.setAttribute('aria-busy', 'false');
  window.gradscape = { lab, state, draw, catalogue }; // for the browser tests, benchmarks and the curious
}

start(main);
