// Wires the network lab: the wasm core's NetworkLab, the state and its link, the
// controls, the views, the inspector, training across frames, and export.

import init, {
  NetworkLab, catalogue as readCatalogue, check_setup, class_colours as readClassColours, load_digits, presets as readPresets,
} from '../pkg/network/gradscape.js';
import { el } from './dom.js';
import { download } from './export.js';
import { barButton, figureBar, modeSwitch, toggleKeys } from './figure-bar.js';
import { backwardPass } from './backward-pass.js';
import { checkSentence, showInspection } from './inspector.js';
import { landscapeView, optimizerLink } from './landscape-view.js';
import { buildNetworkControls } from './network-controls.js';
import {
  adoptRuns, initialState, inputsOf, mostRuns, networkPresetState, networkProblems, readNetworkHash, setupOf, setupsOf, showRun, syncRun,
  writeNetworkHash,
} from './network-state.js';
import { networkPanels } from './network-panels.js';
import { networkViews } from './network-view.js';
import { runsStrip } from './runs-view.js';
import { clicker, frameScheduler, gallery, guardCrashes, linkKeeper, shareLinks, showNotice, showProblems, start } from './page.js';
import { formatValue } from './params.js';
import { kerasSnippet, torchSnippet } from './snippets.js';
import { createTraining } from './training.js';

const embed = document.body.classList.contains('embed');
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
const round = (v) => formatValue(Number(Number(v).toPrecision(3)));

async function main() {
  await init();
  const catalogue = readCatalogue();
  const state = initialState(catalogue);
  let lab = null;
  let status = null;
  let selected = -1; // the inspected point
  let clickMode = 'inspect';
  let lastGood = null;

  const classColours = readClassColours();
  const keys = [
    ['Space', 'train or pause'], ['→', 'one update'], ['PgDn', 'one epoch'],
    ['r', embed ? 'back to the network as linked' : 'a new network, from the start'],
    ['Esc', 'from a control back to the figure'], ['Shift', 'with arrows or a drag: fine steps on a slider'], ['?', 'this list'],
  ];
  let linked = location.hash; // what an embed's reset restores

  // The figure: caption, its bar (training, what a click on the map does), the status,
  // the map beside the network or the backprop of a point, the curves; then the controls.
  const app = document.getElementById('lab');
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const caption = el('div', { class: 'caption', id: 'caption', hidden: true });
  const statusLine = el('p', { class: 'status-line', id: 'status', 'aria-live': 'polite' });
  const badges = el('ul', { class: 'badges', id: 'badges' });
  const inspector = el('section', { class: 'inspector', id: 'inspector', tabindex: '-1', 'aria-label': 'Backprop inspector', hidden: true });
  const form = el('form', { class: 'controls', id: 'controls', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  const openFull = embed ? el('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in gradscape ↗') : null;
  const restore = embed ? barButton('restore', '↺ link', 'Back to the network as linked (r)', () => restoreLink()) : null;
  const trainBar = el('div', { class: 'player', id: 'player', dataset: { control: 'train' } },
    barButton('play', '▶ train', 'Train or pause (space)', () => training.toggle()),
    barButton('step-update', 'update ›', 'One minibatch update (→)', () => training.update()),
    barButton('step-epoch', 'epoch »', 'To the end of the epoch (PgDn)', () => training.epoch()),
    barButton('reset', '↺', 'A new network from the start (r)', () => rebuild()));
  for (const button of trainBar.querySelectorAll('#play, #step-update, #step-epoch')) button.removeAttribute('aria-label');
  const clickModes = el('div', { class: 'click-modes', id: 'click-modes' });
  // Type and lines scaled for a lecture hall in an embed.
  const zoom = embed ? Math.min(2.5, Math.max(1, innerHeight / 360)) : 1;
  const views = networkViews({ lab: () => lab, zoom, onPointer: pointer, onNetworkPointer: pickParameter, onResize: () => requestDraw() });
  const panels = networkPanels({
    lab: () => lab, zoom, range: catalogue.network.lr_range.defaults, hiddenLayers: () => state.hidden.length, onResize: () => requestDraw(),
  });
  const pass = backwardPass({
    captions: (index) => lab.pass_stages(index),
    point: () => selected,
    choosePoint: () => {
      selected = status.train + status.validation > 0 ? 0 : -1;
      inspect();
      views.pointsChanged();
    },
    onBegin: () => training.stop(),
    onStage: () => requestDraw(),
  });
  views.network.prepend(pass.bar);
  // The loss on a plane through the weights; its weights are picked on the network.
  const landscape = landscapeView({
    lab: () => lab,
    zoom,
    run: () => state.current,
    onChange(settings) {
      state.landscape = settings;
      remember();
      requestDraw();
    },
    onPick(on) {
      showSide(on ? 'network' : 'landscape');
      showNotice(notice, landscape.picking);
    },
    optimizerLab: (surface) => window.open(optimizerLink(surface, state.optimizer.params.lr), '_blank', 'noopener'),
    onResize: () => requestDraw(),
  });
  // Beside the map: the network (data of the plane) or the first layer's weights and the
  // confusion matrix (images), the backprop inspector, and the panels that look inside
  // training. Each view's name in an embed's `controls=`.
  const sideViews = {
    network: views.network, weights: views.weights, confusion: views.confusion,
    activation: panels.activation, softmax: panels.softmax, inside: panels.inside, range: panels.range, landscape: landscape.view,
  };
  const embedName = {
    network: 'network-view', weights: 'weights', confusion: 'confusion', activation: 'activation', softmax: 'softmax', inside: 'inside', range: 'range',
    landscape: 'landscape',
  };
  const tab = (panel, text, title) => el('button', { type: 'button', role: 'tab', id: `tab-${panel}`, 'aria-selected': 'false', title, onclick: () => showSide(panel) }, text);
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Beside the map' },
    tab('network', 'network'), tab('weights', 'weights'), tab('confusion', 'confusion'), tab('backprop', 'backprop'),
    tab('activation', 'g(z)', 'The activation and its derivative, over the pre-activations'),
    tab('softmax', 'softmax', "The output's softmax and its Jacobian for the inspected point"),
    tab('inside', 'inside', 'Per layer: gradient size and saturated or dead units, per epoch'),
    tab('range', 'η test', 'Learning-rate range test'),
    tab('landscape', 'landscape', 'The training loss on a plane through the weights, with the path of training on it'));
  const side = el('div', { class: 'side' }, tabs, ...Object.values(sideViews), inspector);
  const runs = runsStrip({
    runs: () => lab.runs(),
    current: () => state.current,
    most: mostRuns(catalogue),
    onPick: pickRun,
    onPause(i) {
      lab.set_paused(i, !lab.runs()[i].paused);
      runs.show();
      requestDraw();
    },
    onRemove: removeRun,
    onAdd: addRun,
  });
  app.append(
    el('section', { class: 'figure', id: 'figure', 'aria-label': 'Data, network and training' },
      notice, caption, figureBar([trainBar, clickModes, runs.strip, restore, openFull], keys),
      el('div', { class: 'status-row' }, statusLine, badges),
      el('div', { class: 'plots' }, views.map, side, views.curves)),
    form,
  );

  /** Beside the map: one of the side's views, or the backprop inspector. */
  let shownSide = 'network';
  function showSide(panel) {
    shownSide = panel;
    // The link says whether the landscape shows (and how); picking its weights keeps it.
    const landscapeShown = panel === 'landscape' || Boolean(landscape.picking);
    if (Boolean(state.landscape) !== landscapeShown) {
      state.landscape = landscapeShown ? landscape.settings : null;
      remember();
    }
    if (panel !== 'network' && landscape.picking) {
      landscape.cancelPick();
      notice.hidden = true;
    }
    for (const [name, view] of Object.entries(sideViews)) view.hidden = panel !== name || !controls.chosen(embedName[name]);
    inspector.hidden = panel !== 'backprop';
    for (const button of tabs.children) button.setAttribute('aria-selected', String(button.id === `tab-${panel}`));
    requestDraw();
  }

  /** Images (the digits) have no plane to click on or draw units over. */
  const images = () => Boolean(status?.image);

  /** The click modes: inspect a point, add one of class c, or remove one. */
  function showClickModes(classes) {
    const names = ['inspect', ...Array.from({ length: classes }, (_, c) => String(c)), 'remove'];
    if (!names.includes(clickMode)) clickMode = 'inspect';
    clickModes.replaceChildren(modeSwitch({
      label: 'Clicking the map',
      group: 'click',
      names,
      current: clickMode,
      onPick: (mode) => (clickMode = mode),
      show: (name) => ({ inspect: name, remove: '− remove' }[name] ?? ['+ ', el('span', { class: 'dot', style: { '--colour': classColours[Number(name)] } }), ` ${name}`]),
      describe: (name) => ({ inspect: null, remove: 'remove the point clicked' }[name] ?? `add points of class ${name}`),
    }));
  }

  /** The play button says what pressing it does. */
  function showPlaying(playing) {
    const button = trainBar.querySelector('#play');
    button.textContent = playing ? '❚❚ pause' : '▶ train';
    button.setAttribute('aria-pressed', String(playing));
  }

  const hint = () => inspector.replaceChildren(
    el('p', { class: 'hint' }, `Click ${images() ? 'an image' : 'a point on the map'} to see backprop for it, quantity by quantity.`));

  const draw = () => {
    if (!lab) return;
    // The curves change when an epoch is recorded, a run is paused, removed or made current.
    const history = JSON.stringify(lab.runs().map((r) => [r.status.epoch, r.status.stopped, r.paused, r.current]));
    views.draw(selected, pass.stage, history);
    panels.draw(selected);
    if (landscape.draw()) requestDraw();
  };
  const requestDraw = frameScheduler(draw, () => (lastGood = link.written ?? lastGood));
  guardCrashes(() => lastGood);

  function showStatus() {
    status = lab.status();
    const last = status.last;
    const parts = [`epoch ${status.epoch}`, `${status.updates} updates`, `η = ${round(status.learning_rate)}`, `${status.parameters} parameters`];
    if (last) {
      const t = last.train;
      parts.push(`loss ${round(t.data_loss + t.regularization)} (data ${round(t.data_loss)} + L2 ${round(t.regularization)})`);
      if (t.accuracy !== null) parts.push(`accuracy ${(100 * t.accuracy).toFixed(1)}%`);
      if (last.validation) {
        parts.push(`validation loss ${round(last.validation.data_loss)}`);
        if (last.validation.accuracy !== null) parts.push(`validation accuracy ${(100 * last.validation.accuracy).toFixed(1)}%`);
      }
    }
    statusLine.textContent = parts.join(' · ');
    runs.show();
    const stop = status.stopped;
    badges.replaceChildren(...(stop ? [el('li', { class: `badge ${stop.kind === 'diverged' ? 'diverged' : 'stopped'}` },
      stop.kind === 'diverged' ? `diverged at update ${stop.update}` : `stopped early at epoch ${stop.epoch}; restored epoch ${stop.best_epoch}`)] : []));
  }

  const inspect = () => selected >= 0 && showInspection(inspector, selected, lab.inspect(selected), status.image);
  const focusFigure = () => views.focus();

  const training = createTraining({
    lab: () => lab,
    speed: () => state.speed,
    onFrame() {
      showStatus();
      inspect();
      draw();
    },
    onChange: showPlaying,
  });

  /** New networks from the state, every run's: training starts again. The core's
   * problems reset their settings, and the state becomes what runs. */
  function rebuild(problems = []) {
    views.curvesChanged();
    training.stop();
    const next = NetworkLab.open_runs(setupsOf(state), state.current);
    // A change of η, schedule or early stopping keeps the range test: it tested the rest.
    if (lab) next.keep_lr_range(lab);
    lab?.free();
    lab = next;
    adoptRuns(state, lab.run_setups(), catalogue);
    problems.push(...networkProblems(catalogue, lab.run_problems()));
    selected = -1;
    pass.stop();
    panels.showLayers();
    panels.showRange();
    showStatus();
    hint();
    views.showImages(images());
    showProblems(notice, problems);
    controls.rebuild(status);
    showClickModes(status.task === 'regression' || images() ? 0 : status.classes);
    showViews();
    remember();
    requestDraw();
  }

  /** A copy of the current run beside it, made current; every run starts again. */
  function addRun() {
    syncRun(state);
    state.runs.push(structuredClone(state.runs[state.current]));
    showRun(state, state.runs.length - 1);
    rebuild();
  }

  /** Run `index` gone; the others train on. */
  function removeRun(index) {
    if (state.runs.length === 1) return;
    lab.remove_run(index);
    syncRun(state);
    state.runs.splice(index, 1);
    // The core says which run is current now (the one before a removed current run).
    const current = lab.runs().findIndex((run) => run.current);
    Object.assign(state, { current }, structuredClone(state.runs[current]));
    afterRunChange();
  }

  /** The map, the network, the controls and the inspector follow run `index`. */
  function pickRun(index) {
    lab.set_current(index);
    showRun(state, index);
    afterRunChange();
  }

  function afterRunChange() {
    views.curvesChanged();
    showStatus();
    inspect();
    pass.stop();
    panels.showLayers();
    panels.showRange();
    controls.rebuild(status);
    views.pointsChanged();
    remember();
    requestDraw();
  }

  function showViews() {
    views.curves.hidden = !controls.chosen('chart');
    trainBar.hidden = !controls.chosen('train');
    clickModes.hidden = !controls.chosen('data') || images(); // adding points is part of the data
    runs.strip.hidden = !controls.chosen('runs');
    // The network is drawn for data of the plane, the weights and confusion for images;
    // an embed has the views it names, the first of them showing.
    const fits = { network: !images(), weights: images(), confusion: images(), landscape: !images() };
    const shown = Object.keys(sideViews).filter((name) => fits[name] !== false && controls.chosen(embedName[name]));
    for (const name of Object.keys(sideViews)) tabs.querySelector(`#tab-${name}`).hidden = !shown.includes(name);
    const first = state.landscape && shown.includes('landscape') ? 'landscape' : shown[0];
    showSide(first ?? (images() ? 'weights' : 'network'));
  }

  // Data the core does not carry (the digits) is fetched when first chosen.
  const fetched = new Set();
  const fileOf = (id) => catalogue.network.datasets.find((d) => d.id === id)?.file;
  const needsFile = (id) => Boolean(fileOf(id)) && !fetched.has(fileOf(id));
  async function fetchData(id) {
    const file = fileOf(id);
    showNotice(notice, `Loading ${id}…`);
    const response = await fetch(new URL(`../pkg/${file}`, import.meta.url));
    if (!response.ok) throw new Error(`could not load ${file}: ${response.status} ${response.statusText}`);
    load_digits(new Uint8Array(await response.arrayBuffer()));
    fetched.add(file);
    notice.hidden = true;
  }

  // The link.
  const link = linkKeeper(() => writeNetworkHash(state, catalogue), () => {
    showShare();
    showCaption(link.written, true);
  });
  const remember = () => link.remember();
  const showCaption = gallery(caption, JSON.parse(readPresets()),
    (preset) => writeNetworkHash(networkPresetState(catalogue, preset), catalogue), () => focusFigure());

  async function load(hash) {
    const { state: next, problems } = readNetworkHash(hash, catalogue);
    if (needsFile(next.dataset.id)) {
      app.setAttribute('aria-busy', 'true');
      try {
        await fetchData(next.dataset.id);
      } catch (error) {
        problems.push({ key: 'data', reason: error.message });
      }
      app.setAttribute('aria-busy', 'false');
    }
    Object.assign(state, next);
    landscape.set(state.landscape);
    rebuild(problems);
    link.written = writeNetworkHash(state, catalogue);
    showCaption(link.written, false);
    showShare();
    if (state.play && !reducedMotion) training.play();
  }

  /** An embed's reset: the network as its link gave it. */
  function restoreLink() {
    history.replaceState(null, '', linked || '#');
    load(linked);
    focusFigure();
  }

  function showShare() {
    const links = shareLinks('networks.html', 'network-embed.html', link.written ?? writeNetworkHash(state, catalogue));
    if (openFull) openFull.href = links.full;
    controls.showShare?.(links.full, links.embed, `gradscape: a network on ${state.dataset.id}`);
  }

  /** A press on the network drawing: while the landscape picks its weights, the one there. */
  function pickParameter({ u, v }) {
    if (!landscape.picking) return;
    landscape.picked(lab.parameter_at(u, v));
    if (landscape.picking) showNotice(notice, landscape.picking);
  }

  function pointer({ u, v, ratio, image }) {
    if (!image && clickMode === 'remove') {
      const index = lab.nearest_point(u, v, 14 * ratio);
      if (index >= 0) {
        lab.remove_point(index);
        selected = -1;
        hint();
        pass.stop();
      }
      showStatus();
    } else if (image || clickMode === 'inspect') {
      selected = image ? lab.digit_at(u, v) : lab.nearest_point(u, v, 14 * ratio);
      if (selected >= 0) {
        inspect();
        pass.stop();
        if (shownSide !== 'softmax') showSide('backprop');
        // On a phone the inspector is below the map: bring it into view.
        if (inspector.getBoundingClientRect().top > innerHeight) inspector.scrollIntoView({ block: 'start', behavior: 'smooth' });
      }
    } else {
      const [x, y] = lab.point_at(u, v);
      try {
        lab.add_point(x, y, Number(clickMode));
      } catch (error) {
        showProblems(notice, [{ key: 'point', reason: error.message }]);
      }
      showStatus();
    }
    views.pointsChanged();
    requestDraw();
  }

  const handlers = {
    /** `mutate` on a copy of the state; the state takes it only if the core accepts it. */
    change(mutate) {
      const next = structuredClone(state);
      mutate(next);
      if (needsFile(next.dataset.id)) {
        // Fetched first, then the change is made again; a failure keeps the network.
        fetchData(next.dataset.id).then(() => handlers.change(mutate), (error) => {
          showProblems(notice, [{ key: 'data', reason: error.message }]);
          controls.rebuild(status);
        });
        return '';
      }
      const refused = check_setup(setupOf(next));
      if (refused.length) return refused.map((p) => p.message).join('; ');
      Object.assign(state, next);
      rebuild();
      return '';
    },
    /** The controls an embed of this network shows. */
    controls(names) {
      state.controls = names;
      remember();
    },
    /** Updates per frame, as the link's row reads them (never one it would refuse). */
    speed(v) {
      const most = catalogue.network.most_speed;
      if (!(Number.isInteger(v) && v >= 1 && v <= most)) return `speed must be a whole number from 1 to ${most}`;
      state.speed = v;
      remember();
      return '';
    },
    gradientCheck: () => {
      const result = lab.gradient_check();
      const check = document.getElementById('check');
      check.className = result.passed ? 'passed' : 'failed';
      check.textContent = checkSentence(result);
    },
    // As the CLI's `train --save` writes it.
    exportModel: () => download('model.json', new Blob([`${JSON.stringify(lab.model(), null, 2)}\n`], { type: 'application/json' })),
    exportData: () => download('data.csv', new Blob([lab.data_csv()], { type: 'text/csv' })),
    snippet(kind) {
      const snippet = document.getElementById('snippet');
      const inputs = inputsOf(catalogue, state.dataset.id);
      snippet.hidden = false;
      snippet.textContent = (kind === 'keras' ? kerasSnippet : torchSnippet)(state, status, inputs, lab.model());
    },
    async loadPoints(file) {
      let repaired;
      try {
        repaired = lab.load_csv(await file.text());
      } catch (error) {
        showProblems(notice, [{ key: 'CSV', reason: error.message }]);
        return;
      }
      adoptRuns(state, lab.run_setups(), catalogue);
      const reset = networkProblems(catalogue, repaired);
      showNotice(notice, reset.length ? `Settings that did not fit the loaded points were reset: ${reset.map((p) => `${p.key} (${p.reason})`).join('; ')}.` : '');
      remember();
      afterDataChange();
    },
    clearPoints() {
      lab.clear_points();
      afterDataChange();
    },
    async loadModel(file) {
      try {
        // JSON.parse refuses the byte-order mark some editors write.
        lab.load_model(JSON.parse((await file.text()).replace(/^\uFEFF/, '')));
        views.curvesChanged();
        notice.hidden = true;
      } catch (error) {
        showProblems(notice, [{ key: 'model', reason: error.message }]);
      }
      showStatus();
      requestDraw();
    },
  };
  const controls = buildNetworkControls(form, { catalogue, state, embed, handlers });

  /** The data changed under every run (points loaded or cleared): the runs start again on it. */
  function afterDataChange() {
    views.curvesChanged();
    selected = -1;
    hint();
    pass.stop();
    panels.showLayers();
    panels.showRange();
    showStatus();
    controls.rebuild(status);
    showClickModes(status.task === 'regression' || images() ? 0 : status.classes);
    views.pointsChanged();
    requestDraw();
  }

  // Keys: a presenter's clicker drives training; Esc brings focus back to the figure.
  clicker({
    ' ': () => training.toggle(),
    ArrowRight: () => training.update(),
    PageDown: () => training.epoch(),
    r: embed ? restoreLink : () => rebuild(),
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
  window.gradscape = { get lab() { return lab; }, state, draw, catalogue };
}

start(main);
