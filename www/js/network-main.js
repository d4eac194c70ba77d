// Wires the network lab: the wasm core's NetworkLab, the state and its link, the
// controls, the views, the inspector, training across frames, and export.

import init, {
  NetworkLab, catalogue as readCatalogue, check_setup, class_colours as readClassColours, load_digits, presets as readPresets,
} from '../pkg/network/gradscape.js';
import { el } from './dom.js';
import { download } from './export.js';
import { barButton, figureBar, modeSwitch, toggleKeys } from './figure-bar.js';
import { checkSentence, showInspection } from './inspector.js';
import { buildNetworkControls } from './network-controls.js';
import {
  adoptSetup, initialState, inputsOf, networkPresetState, networkProblems, readNetworkHash, setupOf, writeNetworkHash,
} from './network-state.js';
import { networkViews } from './network-view.js';
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
  const views = networkViews({ lab: () => lab, zoom, onPointer: pointer, onResize: () => requestDraw() });
  // Beside the map: the network (data of the plane) or the first layer's weights and the
  // confusion matrix (images), and the backprop inspector. Each view's name in an
  // embed's `controls=`.
  const sideViews = { network: views.network, weights: views.weights, confusion: views.confusion };
  const embedName = { network: 'network-view', weights: 'weights', confusion: 'confusion' };
  const tab = (panel, text) => el('button', { type: 'button', role: 'tab', id: `tab-${panel}`, 'aria-selected': 'false', onclick: () => showSide(panel) }, text);
  const tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Beside the map' },
    tab('network', 'network'), tab('weights', 'weights'), tab('confusion', 'confusion'), tab('backprop', 'backprop'));
  const side = el('div', { class: 'side' }, tabs, views.network, views.weights, views.confusion, inspector);
  app.append(
    el('section', { class: 'figure', id: 'figure', 'aria-label': 'Data, network and training' },
      notice, caption, figureBar([trainBar, clickModes, restore, openFull], keys),
      el('div', { class: 'status-row' }, statusLine, badges),
      el('div', { class: 'plots' }, views.map, side, views.curves)),
    form,
  );

  /** Beside the map: one of the side's views, or the backprop inspector. */
  function showSide(panel) {
    for (const [name, view] of Object.entries(sideViews)) view.hidden = panel !== name || !controls.chosen(embedName[name]);
    inspector.hidden = panel !== 'backprop';
    for (const button of tabs.children) button.setAttribute('aria-selected', String(button.id === `tab-${panel}`));
    requestDraw();
  }

  /** Images (the digits) have no plane to click on or draw units over. */
  const images = () => Boolean(status?.image);

  /** The click modes: inspect a point, or add one of class c. */
  function showClickModes(classes) {
    const names = ['inspect', ...Array.from({ length: classes }, (_, c) => String(c))];
    if (!names.includes(clickMode)) clickMode = 'inspect';
    clickModes.replaceChildren(modeSwitch({
      label: 'Clicking the map',
      group: 'click',
      names,
      current: clickMode,
      onPick: (mode) => (clickMode = mode),
      show: (name) => (name === 'inspect' ? name : ['+ ', el('span', { class: 'dot', style: { '--colour': classColours[Number(name)] } }), ` ${name}`]),
      describe: (name) => (name === 'inspect' ? null : `add points of class ${name}`),
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

  const draw = () => lab && views.draw(selected);
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

  /** A new network from the state: training starts again. The core's problems reset
   * their settings, and the state becomes what runs. */
  function rebuild(problems = []) {
    training.stop();
    const next = NetworkLab.open(setupOf(state));
    lab?.free();
    lab = next;
    adoptSetup(state, lab.setup(), catalogue);
    problems.push(...networkProblems(catalogue, lab.problems()));
    selected = -1;
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

  function showViews() {
    views.curves.hidden = !controls.chosen('chart');
    trainBar.hidden = !controls.chosen('train');
    clickModes.hidden = !controls.chosen('data') || images(); // adding points is part of the data
    tabs.querySelector('#tab-network').hidden = images();
    tabs.querySelector('#tab-weights').hidden = !images();
    tabs.querySelector('#tab-confusion').hidden = !images();
    showSide(images() ? 'weights' : 'network');
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

  function pointer({ u, v, ratio, image }) {
    if (image || clickMode === 'inspect') {
      selected = image ? lab.digit_at(u, v) : lab.nearest_point(u, v, 14 * ratio);
      if (selected >= 0) {
        inspect();
        showSide('backprop');
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
    async loadModel(file) {
      try {
        // JSON.parse refuses the byte-order mark some editors write.
        lab.load_model(JSON.parse((await file.text()).replace(/^\uFEFF/, '')));
        notice.hidden = true;
      } catch (error) {
        showProblems(notice, [{ key: 'model', reason: error.message }]);
      }
      showStatus();
      requestDraw();
    },
  };
  const controls = buildNetworkControls(form, { catalogue, state, embed, handlers });

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
