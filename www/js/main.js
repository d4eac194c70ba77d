// Wires the optimizer lab: the wasm core, the state and its link, the figure (its bar,
// the surface, the panel beside it, the runs, the chart), the controls, the player,
// presets, keys and export. Every input event updates the core and, once the core accepts it, the state;
// drawing happens once per animation frame. The views a first visit does not draw, and
// the parser of a typed surface, come with a second build of the core, fetched when the
// state first needs one (core.js); meanwhile the map, the paths and every control stay
// live.

import { buildControls } from './controls.js';
import { chartView } from './chart-view.js';
import { openCore } from './core.js';
import { el } from './dom.js';
import { barButton, figureBar, modeSwitch, toggleKeys } from './figure-bar.js';
import { explainer } from './explain.js';
import { clicker, frameScheduler, gallery, guardCrashes, linkKeeper, shareLinks, showNotice, showProblems, spread, start } from './page.js';
import { createPlayer } from './player.js';
import { iterateAt, runStatus } from './run-status.js';
import {
  adoptSettings, defaultOptimizer, initialState, labelOf, presetState, problemsOf, readHash, settingsOf, writeHash,
} from './state.js';
import { surfaceView } from './surface-view.js';
import { zoomPan } from './zoom-pan.js';

/** Path mode shows every iterate. */
const ALL = 0xffffffff;
const embed = document.body.classList.contains('embed');
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;

async function main() {
  const core = await openCore();
  const { lab, catalogue } = core;
  const state = initialState(catalogue);
  let info = null; // the surface's view, start and critical points
  let hover = null; // { path, step }: the iterate under the pointer
  let lastCamera = null; // the 3-D view's camera when it was last turned
  let lastGood = null; // the last link drawn without trouble
  let linked = location.hash; // what an embed's reset restores

  const player = createPlayer({
    onFrame: () => requestDraw(),
    onEnd: () => recorder?.ended(player.frame),
  });
  const race = (then) => () => {
    setMode('race');
    then();
  };
  const keys = [
    ['Space', 'play or pause the race'],
    ['→ ←', 'one iterate forward, back'],
    ['PgDn PgUp', 'the same, for a clicker'],
    ['r', embed ? 'back to the picture as linked' : 'back to the first iterate'],
    ['+ −', 'zoom in, out (or the wheel, a pinch); Shift + drag pans'],
    ['0', 'the surface\'s own view'],
    ['Esc', 'from a control back to the figure'],
    ['Shift', 'with arrows or a drag: fine steps on a slider'],
    ['?', 'this list'],
  ];
  const keysGoTo = embed ? restoreLink : () => player.reset();

  // The page's skeleton: the figure (caption, its bar, the surface with the runs beside
  // it, the loss chart) and the controls beside it, or below it on a phone.
  const app = document.getElementById('lab');
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const caption = el('div', { class: 'caption', id: 'caption', hidden: true });
  const surfaceRoot = el('div', { class: 'surface-view', id: 'surface-view' });
  const legend = el('ul', { class: 'legend', id: 'legend', 'aria-label': 'Optimizers shown' });
  const readout = el('p', { class: 'readout', id: 'readout', 'aria-live': 'polite' });
  const recording = el('p', { class: 'recording', id: 'recording', role: 'status', hidden: true });
  const chartRoot = el('div', { class: 'chart-view', id: 'chart-view' });
  const playButton = barButton('play', '▶ play', 'Play or pause the race (space)', race(() => player.toggle()));
  playButton.removeAttribute('aria-label'); // its text says what it does
  const frame = el('span', { class: 'frame', id: 'frame' });
  const playerBar = el('div', { class: 'player', id: 'player', dataset: { control: 'play' } },
    playButton,
    barButton('back', '‹', 'One iterate back (←)', race(() => player.step(-1))),
    barButton('step', '›', 'One iterate forward (→)', race(() => player.step(1))),
    barButton('reset', '↺', 'Back to the first iterate', race(() => player.reset())),
    frame);
  const looks = modeSwitch({
    label: 'View', group: 'look', names: ['map', '3-D'], current: state.camera ? '3-D' : 'map', control: '3d',
    onPick: (name) => setLook(name === '3-D'),
  });
  const modes = modeSwitch({ label: 'Mode', group: 'mode', names: ['path', 'race'], current: state.mode, onPick: (name) => setMode(name) });
  const analysisRoot = el('section', { class: 'analysis', id: 'analysis', 'aria-label': 'Why', hidden: true });
  const why = barButton('why', 'why?', 'The rate map, the eigendirections and tuning, beside the surface',
    () => handlers.panel(state.panel ? '' : 'rates'));
  const explain = explainer(lab, state, { ready: core.hasViews, onExplain: (index) => handlers.explain(index) });
  const ownView = barButton('own-view', '⤢ reset view', 'Back to the surface\'s own view (0)', () => resetView());
  ownView.className = 'own-view';
  const restore = embed ? barButton('restore', '↺ link', 'Back to the picture as linked (r)', () => restoreLink()) : null;
  const openFull = embed ? el('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in gradscape ↗') : null;
  const form = el('form', { class: 'controls', id: 'controls', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  app.append(
    el('section', { class: 'figure', id: 'figure', 'aria-label': 'Surface and loss' },
      notice, caption, figureBar([modes, looks, playerBar, explain.bar, why, restore, openFull], keys),
      el('div', { class: 'plots' },
        surfaceRoot,
        analysisRoot,
        el('div', { class: 'runs', tabindex: '0', role: 'region', 'aria-label': 'Runs' }, legend, explain.narration, readout, recording),
        chartRoot)),
    form);

  const upto = () => (state.mode === 'race' ? player.frame : ALL);
  const labels = () => state.optimizers.map(labelOf);
  const zoom = embed ? Math.min(2.5, Math.max(1, innerHeight / 360)) : 1;

  /** Surfaces only the second build makes: a typed formula and a network's slice. */
  const withViews = (id) => catalogue.plane.verbatim.some(([kind]) => kind === id);
  /** Whether the state shows a view of the second build: 3-D, a panel, an explained step. */
  const wantsViews = () => Boolean(state.camera || state.panel) || state.explain >= 0;
  let loadingViews = null;
  /**
   * The views' build of the core and the panel's module (analysis-view.js), fetched once:
   * resolves when the lab runs on that build, everything drawn again from it.
   */
  const views = () => {
    loadingViews ??= Promise.all([core.views(), import('./analysis-view.js')]).then(([, module]) => {
      analysisRoot.replaceChildren();
      analysis = module.analysisView(analysisRoot, lab, {
        zoom, state, onPanel: handlers.panel, onRates: handlers.rates, onPick: handlers.pick, onTuned: handlers.tuned, onResize: requestDraw,
      });
      loadingNote.hidden = true;
      surface.invalidate();
      showPanel();
      requestDraw();
    }).catch((error) => {
      loadingViews = null; // asked again, it tries again
      throw error;
    });
    return loadingViews;
  };
  let viewsAsked = false;
  /** Fetches the views' build once the state first shows one; says so meanwhile. */
  function askViews() {
    loadingNote.hidden = !state.camera || core.hasViews();
    if (viewsAsked || core.hasViews() || !wantsViews()) return;
    viewsAsked = true;
    views().catch((error) => {
      loadingNote.hidden = true;
      showNotice(notice, `This view could not be loaded: ${error.message}.`);
    });
  }

  function draw() {
    askViews();
    surface.draw(upto(), hover, (foreground) => {
      explain.overlay(foreground, player.frame);
      if (hover?.path >= 0) lab.draw_geometry(foreground, ...iterateAt(lab, hover));
    });
    if (!chartRoot.hidden) chart.draw(upto(), hover);
    const filling = analysis.draw(upto()) | !cloud(); // a rate map or a cloud still filling in
    if (filling) requestDraw();
    recorder?.frame(upto());
  }
  function showPanel() {
    analysis.show();
    why.setAttribute('aria-pressed', String(Boolean(state.panel)));
  }
  const cloud = spread((runs) => lab.cloud_refine(runs));
  const requestDraw = frameScheduler(draw, () => (lastGood = link.written ?? lastGood));
  guardCrashes(() => lastGood);
  player.attach({ play: playButton, frame });

  const optimizerItem = (o) => ({ id: o.id, params: o.params, enabled: o.enabled });

  /** After any change the core accepted: statuses, legend, the race's length, the link, a redraw. */
  function computed() {
    const statuses = lab.statuses();
    controls.showStatuses(statuses);
    runs.show(statuses);
    explain.show();
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
    showCaption(link.written, true);
  });
  const remember = () => link.remember();

  function showShare() {
    const links = shareLinks('index.html', 'embed.html', link.written);
    if (openFull) openFull.href = links.full;
    controls.showShare?.(links.full, links.embed, `gradscape: ${state.surface.id}`);
  }

  const focusFigure = () => surface.foreground.focus({ preventScroll: true });
  const showCaption = gallery(caption, JSON.parse(core.presets),
    (preset) => writeHash(presetState(catalogue, preset), catalogue), focusFigure);

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
    ownView.hidden = !state.view;
    showLook();
    player.setSpeed(state.speed);
    player.reset();
    showMode();
    controls.rebuild();
    showPanel();
    surface.invalidate();
    computed();
    showProblems(notice, problems);
    if (state.mode === 'race' && state.play && !reducedMotion) player.play();
  }

  async function load(hash) {
    const { state: next, problems } = readHash(hash, catalogue);
    if (withViews(next.surface.id) && !core.hasViews()) {
      // A typed surface or a network's slice is built by the views' build of the core: fetched first.
      await views().catch((error) => problems.push({ key: 'surface', reason: `the ${next.surface.id} could not be loaded: ${error.message}` }));
    }
    Object.assign(state, next);
    apply(problems);
    link.written = writeHash(state, catalogue);
    showCaption(link.written, false);
  }

  /** An embed's reset: the picture as its link gave it. */
  function restoreLink() {
    history.replaceState(null, '', linked || '#');
    load(linked);
    focusFigure();
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

  /**
   * Shows `view` (zoomed or panned), its bounds snapped to a ten-thousandth of its width
   * so that links stay short; a view the core refuses (too far in or out) is not taken.
   */
  function setView(view) {
    const unit = 10 ** Math.floor(Math.log10((view.x[1] - view.x[0]) / 10000));
    const snap = (v) => Number((Math.round(v / unit) * unit).toPrecision(12));
    const next = { x: view.x.map(snap), y: view.y.map(snap) };
    try {
      lab.set_view(...next.x, ...next.y);
    } catch {
      return;
    }
    state.view = next;
    viewChanged();
  }
  function resetView() {
    state.view = null;
    lab.reset_view();
    viewChanged();
  }
  function viewChanged() {
    info = lab.surface_info(); // a typed surface looks for its minima in the view shown
    controls.showView(info.view);
    ownView.hidden = !state.view;
    surface.invalidate();
    computed();
  }

  /** The surface in 3-D (from the last camera, or the lab's own) or as the map. */
  function setLook(turned) {
    if (Boolean(state.camera) === turned) return;
    const { yaw, pitch } = catalogue.plane.camera;
    state.camera = turned ? lastCamera ?? [yaw, pitch] : null;
    showLook();
    remember();
    requestDraw();
  }
  const showLook = () => looks.querySelectorAll('input').forEach((radio) => (radio.checked = (radio.value === '3-D') === Boolean(state.camera)));
  /** Turns the 3-D view: yaw wraps, pitch stays in the core's range; half degrees keep links short. */
  function turn(dYaw, dPitch) {
    const [low, high] = catalogue.plane.camera.pitch_range;
    const half = (v) => Math.round(v * 2) / 2;
    const [yaw, pitch] = state.camera;
    state.camera = [half(((((yaw + dYaw + 180) % 360) + 360) % 360) - 180), half(Math.min(high, Math.max(low, pitch + dPitch)))];
    lastCamera = state.camera;
    remember();
    requestDraw();
  }

  function setMode(name) {
    if (state.mode === name) return;
    state.mode = name;
    showMode();
    if (name !== 'race') player.stop();
    remember();
    requestDraw();
  }
  const showMode = () => modes.querySelectorAll('input').forEach((radio) => (radio.checked = radio.value === state.mode));

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
    /**
     * Another surface starts from its own view and start; the same surface with other
     * parameters (a slider, a formula being typed) keeps those shown where it can (the
     * core decides).
     */
    surface(spec) {
      if (withViews(spec.id) && !core.hasViews()) {
        // A typed surface or a network's slice is built by the views' build of the core: once it runs the lab.
        views().then(() => handlers.surface(spec),
          (error) => controls.surfaceError(`the ${spec.id} could not be loaded: ${error.message}`));
        return;
      }
      const changedSurface = spec.id !== state.surface.id;
      const message = attempt(() => (info = lab.set_surface(spec)), () => {
        state.surface = spec;
        state.view = lab.settings().view ?? null;
        ownView.hidden = !state.view;
        state.start = [...info.start];
        if (changedSurface) controls.rebuild();
        controls.showStart(state.start);
        controls.showView(info.view);
        surface.invalidate();
      });
      controls.surfaceError(message);
    },
    start: setStart,
    /** A view box typed into the controls. */
    view: setView,
    steps: (n) => attempt(() => lab.set_steps(n), () => (state.steps = n)),
    /** Noisy runs drawn faintly behind each path, with their mean and the loss's quartiles. */
    cloud: (n) => attempt(() => lab.set_cloud(n), () => (state.cloud = n)),
    /** How near a minimum a run must stay to count as converged: changes verdicts, not paths. */
    tolerance: (t) => attempt(() => lab.set_tolerance(t), () => (state.tolerance = t)),
    noise: (sigma, seed) => (seed < 0 ? 'the noise seed is a whole number from 0' : attempt(() => lab.set_noise(sigma, BigInt(seed)), () => {
      state.noise = sigma;
      state.seed = seed;
    })),
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
    /** The panel beside the surface: a rate map, the eigendirections, tuning, or none. */
    panel(name) {
      state.panel = name;
      showPanel();
      remember();
      requestDraw();
    },
    rates(changes) {
      state.rates = { ...state.rates, ...changes };
      showPanel();
      remember();
      requestDraw();
    },
    /** A click on the rate map: that method's η and γ, and the method shown. */
    pick(index, params) {
      handlers.optimizer(index, { params, enabled: true });
    },
    /** Each shown optimizer's tuned η, as the core's tuning found it. */
    tuned(results) {
      // Three significant digits: far finer than the grid, and a link a person can read.
      for (const { index, best } of results) if (best) handlers.optimizer(index, { params: { lr: Number(best.lr.toPrecision(3)) } });
    },
    /** Explains optimizer `index`'s step at the race's iterate (−1: stop explaining). */
    explain(index) {
      state.explain = index;
      if (index >= 0) setMode('race');
      explain.show();
      remember();
      requestDraw();
    },
    /** The controls an embed of this picture shows. */
    controls(names) {
      state.controls = names;
      remember();
    },
    /**
     * A file: the modules that write it (optimizer-export.js, recording.js) fetched on the first
     * export, and for every file but a picture or a race the views' build of the core.
     */
    export(format) {
      const names = labels();
      const at = upto();
      const race = ['gif', 'mp4', 'webm'].includes(format);
      const rates = format.startsWith('rates-');
      if (rates && state.panel !== 'rates') handlers.panel('rates');
      if (race) surfaceRoot.scrollIntoView({ block: 'nearest' });
      Promise.all([import('./optimizer-export.js'), import('./recording.js'), format === 'png' || race ? null : views()]).then(async ([files, frames]) => {
        /** The figure with a legend of `names`; `even`: sized for H.264. */
        const composer = (even = false) => {
          const { width, height } = surface.background;
          const size = even ? [width & ~1, height & ~1] : [width, height];
          return frames.frameComposer(size, (canvas, upto) => surface.paint(canvas, upto, names));
        };
        if (format === 'png') files.exportPng(composer(), at);
        if (format === 'svg') files.exportSvg(lab, names, state.camera);
        if (format === 'csv') files.exportCsv(lab, names);
        if (format === 'json') files.exportJson(lab, names, location.href);
        if (rates) {
          // A panel just opened is sized within two frames, and its map started.
          for (let i = 0; i < 2; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
          draw(); // the map as far as it has filled in
          files.exportRateMap(lab, format.slice('rates-'.length), analysis.rateMap());
        }
        if (race) {
          recorder ??= frames.raceExporter({
            status: recording, player, toRace: () => setMode('race'), download: files.download, onError: exportFailed,
          });
          recorder.start(format, composer(format === 'mp4'), { length: lab.longest(), speed: state.speed });
        }
      }).catch((error) => exportFailed(error.message));
    },
    rebuilt(built) {
      if (state.start) built.showStart(state.start);
      if (info) built.showView(info.view);
      chartRoot.hidden = !built.chosen('chart');
      modes.hidden = !built.chosen('mode');
      looks.hidden = !built.chosen('3d');
      why.hidden = !built.chosen('analysis');
      explain.bar.hidden = !built.chosen('explain');
      playerBar.hidden = !built.chosen('play') && !built.chosen('mode');
      if (link.written) showShare();
    },
  };

  const surface = surfaceView(surfaceRoot, lab, {
    zoom,
    zoomPan,
    focusFirst: embed,
    onStart: setStart,
    onHover: setHover,
    onResize: requestDraw,
    getView: () => info.view,
    onView: setView,
    getStart: () => state.start ?? info.start,
    getCamera: () => (core.hasViews() ? state.camera : null), // the map until the 3-D view has loaded
    onTurn: turn,
  });
  const loadingNote = el('p', { class: 'empty', id: 'views-loading', role: 'status', hidden: true }, 'Loading the 3-D view…');
  surfaceRoot.append(ownView, loadingNote);
  const exportFailed = (reason) => showNotice(notice, `The export failed: ${reason}.`);
  let recorder = null; // the race as media (recording.js), from its first export on
  const chart = chartView(chartRoot, lab, { zoom, onHover: setHover, onResize: requestDraw });
  // The panel beside the surface, until its module comes with the views' build (views()).
  const panelLoading = el('p', { class: 'panel-head measure', id: 'panel-loading', role: 'status' }, 'Loading the panel…');
  let analysis = {
    show() {
      analysisRoot.hidden = !state.panel;
      analysisRoot.replaceChildren(panelLoading);
    },
    draw: () => false,
    rateMap: () => null,
  };
  const styles = () => lab.styles();
  const runs = runStatus({ lab, state, styles, surface, legend, readout });
  const controls = buildControls(form, { catalogue, state, styles, embed, handlers });

  // Keys: a presenter's clicker drives the race; Esc brings focus back to the figure.
  clicker({
    ' ': () => (state.mode === 'race' ? player.toggle() : race(player.play)()),
    ArrowRight: race(() => player.step(1)),
    PageDown: race(() => player.step(1)),
    ArrowLeft: race(() => player.step(-1)),
    PageUp: race(() => player.step(-1)),
    r: keysGoTo,
    '+': () => surface.zoomIn(),
    '=': () => surface.zoomIn(),
    '-': () => surface.zoomOut(),
    0: () => resetView(),
    '?': toggleKeys,
  }, focusFigure);

  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== link.written) {
      linked = location.hash;
      load(location.hash);
    }
  });
  await load(location.hash);
  app.setAttribute('aria-busy', 'false');
  // For the browser tests, benchmarks and the curious; `views()` resolves once `lab` runs every view.
  window.gradscape = { lab, state, draw, catalogue, views };
}

start(main);
