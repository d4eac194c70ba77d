// Wires the network lab: the wasm core's NetworkLab, the state and its link, the
// controls, the views, the inspector, training across frames, and export.

import init, {
  NetworkLab, catalogue as readCatalogue, check_setup, class_colours as readClassColours, presets as readPresets,
} from '../pkg/network/gradscape.js';
import { el } from './dom.js';
import { download } from './export.js';
import { checkSentence, showInspection } from './inspector.js';
import { buildNetworkControls } from './network-controls.js';
import {
  adoptSetup, initialState, networkPresetState, networkProblems, readNetworkHash, setupOf, writeNetworkHash,
} from './network-state.js';
import { networkViews } from './network-view.js';
import { clicker, frameScheduler, gallery, guardCrashes, linkKeeper, shareLinks, showProblems, start } from './page.js';
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

  const app = document.getElementById('lab');
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const caption = el('p', { class: 'caption', id: 'caption', hidden: true });
  const statusLine = el('p', { class: 'status-line', id: 'status', 'aria-live': 'polite' });
  const badges = el('ul', { class: 'badges', id: 'badges' });
  const inspector = el('section', { class: 'inspector', id: 'inspector', 'aria-label': 'Backprop inspector' });
  const form = el('form', { class: 'controls', id: 'controls', autocomplete: 'off', onsubmit: (e) => e.preventDefault() });
  const openFull = embed ? el('a', { class: 'open-full', target: '_blank', rel: 'noopener' }, 'open in gradscape ↗') : null;
  // Type and lines scaled for a lecture hall in an embed.
  const zoom = embed ? Math.min(2.5, Math.max(1, innerHeight / 360)) : 1;
  const views = networkViews({ lab: () => lab, zoom, onPointer: pointer, onResize: () => requestDraw() });
  app.append(
    el('section', { class: 'views', 'aria-label': 'Data, network and training' },
      notice, caption, statusLine, badges, views.map, views.network, views.curves, inspector, openFull),
    form,
  );

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

  const inspect = () => selected >= 0 && showInspection(inspector, selected, lab.inspect(selected));

  const training = createTraining({
    lab: () => lab,
    speed: () => state.speed,
    onFrame() {
      showStatus();
      inspect();
      draw();
    },
    onChange: (running) => controls.showPlaying(running),
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
    views.pointsChanged();
    inspector.replaceChildren();
    showProblems(notice, problems);
    showStatus();
    controls.rebuild(status);
    showViews();
    remember();
    requestDraw();
  }

  function showViews() {
    views.curves.hidden = !controls.chosen('chart');
    views.network.hidden = !controls.chosen('network-view');
  }

  // The link.
  const link = linkKeeper(() => writeNetworkHash(state, catalogue), () => {
    showShare();
    showCaption(link.written);
  });
  const remember = () => link.remember();
  const showCaption = gallery(caption, JSON.parse(readPresets()),
    (preset) => writeNetworkHash(networkPresetState(catalogue, preset), catalogue));

  function load(hash) {
    const { state: next, problems } = readNetworkHash(hash, catalogue);
    Object.assign(state, next);
    rebuild(problems);
    link.written = writeNetworkHash(state, catalogue);
    showCaption(link.written);
    showShare();
    if (state.play && !reducedMotion) training.play();
  }

  function showShare() {
    const links = shareLinks('networks.html', 'network-embed.html', link.written ?? writeNetworkHash(state, catalogue),
      `gradscape: a network on ${state.dataset.id}`);
    const linkInput = document.getElementById('link');
    const code = document.getElementById('embed-code');
    if (linkInput) linkInput.value = links.full;
    if (code) code.value = links.embed;
    if (openFull) openFull.href = links.full;
  }

  function pointer({ u, v, ratio }) {
    if (clickMode === 'inspect') {
      selected = lab.nearest_point(u, v, 14 * ratio);
      if (selected >= 0) inspect();
      else inspector.replaceChildren();
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

  const controls = buildNetworkControls(form, {
    catalogue,
    state,
    classColours: readClassColours(),
    embed,
    handlers: {
      /** `mutate` on a copy of the state; the state takes it only if the core accepts it. */
      change(mutate) {
        const next = structuredClone(state);
        mutate(next);
        const refused = check_setup(setupOf(next));
        if (refused.length) return refused.map((p) => p.message).join('; ');
        Object.assign(state, next);
        rebuild();
        return '';
      },
      /** Updates per frame, as the link's row reads them (never one it would refuse). */
      speed(v) {
        const most = catalogue.network.most_speed;
        if (!(Number.isInteger(v) && v >= 1 && v <= most)) return `speed must be a whole number from 1 to ${most}`;
        state.speed = v;
        remember();
        return '';
      },
      play: () => training.toggle(),
      update: () => training.update(),
      epoch: () => training.epoch(),
      reset: () => rebuild(),
      clickMode: (mode) => (clickMode = mode),
      gradientCheck: () => (document.getElementById('check').textContent = checkSentence(lab.gradient_check())),
      // As the CLI's `train --save` writes it.
      exportModel: () => download('model.json', new Blob([`${JSON.stringify(lab.model(), null, 2)}\n`], { type: 'application/json' })),
      exportData: () => download('data.csv', new Blob([lab.data_csv()], { type: 'text/csv' })),
      snippet(kind) {
        const snippet = document.getElementById('snippet');
        const inputs = status.task === 'regression' ? 1 : 2;
        snippet.hidden = false;
        snippet.textContent = (kind === 'keras' ? kerasSnippet : torchSnippet)(state, status, inputs);
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
    },
  });

  // A presenter's clicker: space trains or pauses, → one update, PageDown one epoch, r resets.
  clicker({
    ' ': () => training.toggle(),
    ArrowRight: () => training.update(),
    PageDown: () => training.epoch(),
    r: () => rebuild(),
  });

  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== link.written) load(location.hash);
  });
  load(location.hash);
  app.setAttribute('aria-busy', 'false');
  window.gradscape = { get lab() { return lab; }, state, draw, catalogue };
}

start(main);
