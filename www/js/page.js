// What both labs' pages share: starting up, the link kept in the address, the notice of
// settings that could not be used, the caption of the preset on screen, the gallery,
// the presenter's keys, one draw per frame, and what a page does if its core crashes.

import { el } from './dom.js';

/** Runs the page's `main`; if it cannot start, says why in place of the lab. */
export function start(main) {
  main().catch((error) => {
    const fatal = document.getElementById('fatal');
    fatal.textContent = `gradscape could not start: ${error.message}`;
    fatal.hidden = false;
    console.error(error);
  });
}

/**
 * Keeps the address's hash in step with the state. `remember()` writes
 * `write()` (throttled: the last change within 250 ms wins) and then calls `after()`;
 * `written` is the hash written last, which a hashchange of the page's own making
 * equals.
 */
export function linkKeeper(write, after) {
  let timer = 0;
  const keeper = {
    written: null,
    remember() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        keeper.written = write();
        history.replaceState(null, '', `#${keeper.written}`);
        after();
      }, 250);
    },
  };
  return keeper;
}

/** Names in `notice` each setting that could not be used, or hides it. */
export function showProblems(notice, problems) {
  notice.hidden = problems.length === 0;
  notice.replaceChildren(
    el('span', {}, 'Some settings in this link could not be used and were reset: ',
      problems.map((p) => `${p.key} (${p.reason})`).join('; '), '. '),
    el('button', { type: 'button', onclick: () => (notice.hidden = true) }, 'dismiss'));
}

/**
 * Fills the gallery (if the page has one) with the presets, each a link to its state,
 * and returns `show(hash)`, which puts in `caption` the preset whose link is `hash`.
 */
export function gallery(caption, presets, hashOf) {
  const links = presets.map((p) => ({ ...p, hash: hashOf(p) }));
  document.getElementById('presets')?.append(...links.map((p) =>
    el('li', {}, el('a', { href: `#${p.hash}`, title: p.caption }, p.title))));
  return (hash) => {
    const preset = links.find((p) => p.hash === hash);
    caption.hidden = !preset;
    caption.textContent = preset ? `${preset.title}: ${preset.caption}` : '';
  };
}

/**
 * A presenter's clicker: `actions[key]()` on a key press, unless the key is typed into
 * a field, or activates the button, link or box that has focus.
 */
export function clicker(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target.matches?.('input:not([type="checkbox"]):not([type="radio"]), select, textarea, [contenteditable]');
    const activates = target.matches?.('button, a, input[type="checkbox"], input[type="radio"]');
    if (typing || (activates && (event.key === ' ' || event.key === 'Enter'))) return;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });
}

/** Whether the core has crashed: every later call into it would throw. */
let halted = false;

/**
 * `draw` once on the next animation frame however often it is asked for: every input
 * event may ask, the screen shows one frame. The first frame drawn is marked for the
 * benchmark ('gradscape:first-draw'); `drawn()` runs after each frame drawn.
 */
export function frameScheduler(draw, drawn = () => {}) {
  let requested = false;
  return () => {
    if (requested || halted) return;
    requested = true;
    requestAnimationFrame(() => {
      requested = false;
      if (halted) return;
      draw();
      drawn();
      if (!performance.getEntriesByName('gradscape:first-draw').length) performance.mark('gradscape:first-draw');
    });
  };
}

/** An error thrown by the core after a panic, or by any call after that one. */
const crashedCore = (error) =>
  error instanceof WebAssembly.RuntimeError || /recursive use of an object|unreachable/.test(String(error?.message ?? ''));

/**
 * A core that panicked (a bug, never bad input: the core refuses bad input with an
 * error) cannot be used again. Then the page stops drawing and says so, with a button
 * that reloads it at `lastGood()`, the last link it drew without trouble.
 */
export function guardCrashes(lastGood) {
  const show = () => {
    if (halted) return;
    halted = true;
    const reload = el('button', {
      type: 'button',
      id: 'reload',
      onclick: () => {
        history.replaceState(null, '', `#${lastGood() ?? ''}`);
        location.reload();
      },
    }, 'Reload the last picture that worked');
    const banner = el('div', { class: 'crash', id: 'crash', role: 'alert' },
      el('p', {}, 'Something went wrong inside gradscape, and this picture stopped. Nothing you did caused it; reloading brings back the last picture that worked.'),
      reload);
    document.getElementById('lab').prepend(banner);
    reload.focus();
  };
  addEventListener('error', (event) => crashedCore(event.error) && show());
  addEventListener('unhandledrejection', (event) => crashedCore(event.reason) && show());
}

/** The link and embed code of the page at `hash`, for the share box and the embed. */
export function shareLinks(page, embedPage, hash, title) {
  const base = new URL('.', location.href);
  const embed = new URL(`${embedPage}#${hash}`, base).href;
  return {
    full: new URL(`${page}#${hash}`, base).href,
    embed: `<iframe src="${embed}" width="960" height="540" style="border:0" title="${title}" loading="lazy"></iframe>`,
  };
}
