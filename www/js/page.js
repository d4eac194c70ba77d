// What both labs' pages share: starting up, the link kept in the address, the notice of
// settings that could not be used, the caption of the preset on screen, the gallery,
// the keys, one draw per frame, and what a page does if its core crashes.

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
      const at = location.hash;
      timer = setTimeout(() => {
        // A link followed meanwhile (a preset's chip, the back button) wins: its
        // hashchange opens it, and writing over it here would lose it.
        if (location.hash !== at) return;
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
  showNotice(notice, problems.length === 0 ? '' : `Some settings in this link could not be used and were reset: ${
    problems.map((p) => `${p.key} (${p.reason})`).join('; ')}. `);
}

/** Shows `text` in `notice` with a way to dismiss it ('' hides the notice). */
export function showNotice(notice, text) {
  notice.hidden = !text;
  notice.replaceChildren(el('span', {}, text), el('button', { type: 'button', onclick: () => (notice.hidden = true) }, 'dismiss'));
}

/**
 * Fills the gallery (if the page has one) with the presets, each a link to its state;
 * following one gives focus to the figure (`focusFigure()`), so that the keys drive it.
 * Returns `show(hash, own)`, which captions the figure: with the preset whose link is
 * `hash`, or, after a change of the page's own (`own`) to a preset's picture, with that
 * preset marked "modified" and a way back to it. A link opened from elsewhere that is
 * no preset has no caption.
 */
export function gallery(caption, presets, hashOf, focusFigure) {
  const links = presets.map((p) => ({ ...p, hash: hashOf(p) }));
  const chips = links.map((p) => el('a', { href: `#${p.hash}`, title: p.caption, onclick: focusFigure }, p.title));
  document.getElementById('presets')?.append(...chips.map((chip) => el('li', {}, chip)));
  // On a phone the text is cut to a few lines; a tap on it shows it whole.
  const text = el('p', {
    class: 'text',
    onclick: () => caption.classList.toggle('open'),
  });
  const back = el('a', { class: 'back', id: 'back-to-preset', title: 'Back to the preset as it was', onclick: focusFigure }, '↺ preset');
  const modified = el('p', { class: 'modified', id: 'modified' }, el('span', {}, 'modified'), back);
  caption.replaceChildren(text, modified);
  let current = null;
  return (hash, own) => {
    const preset = links.find((p) => p.hash === hash);
    if (preset || !own) current = preset ?? null;
    caption.hidden = !current;
    text.textContent = current ? `${current.title}: ${current.caption}` : '';
    // Hidden, not removed: the figure below must not move when a change is made.
    modified.classList.toggle('shown', Boolean(current && !preset));
    back.href = current ? `#${current.hash}` : '#';
    chips.forEach((chip, i) => (links[i] === current ? chip.setAttribute('aria-current', 'true') : chip.removeAttribute('aria-current')));
  };
}

/**
 * The keys of the page: `actions[key]()` on a key press, unless the key is typed into a
 * field, moves a slider, or activates the button or box that has focus. Esc, from
 * anywhere, gives focus back to the figure (`focusFigure()`), where the keys act.
 */
export function clicker(actions, focusFigure) {
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (event.key === 'Escape') {
      if (target.closest?.('details[open]')) target.closest('details').open = false;
      focusFigure();
      return;
    }
    const typing = target.matches?.('input:not([type="checkbox"]):not([type="radio"]), select, textarea, [contenteditable]');
    const activates = target.matches?.('button, summary, input[type="checkbox"], input[type="radio"]')
      || (target.matches?.('a') && event.key === 'Enter');
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
 * Long work spread across frames, never blocking input: `work(n)` does n more units and says
 * whether it is done. Each call gives it about `ms` of the frame, the units counted from
 * what the last call took, so input stays live however costly a unit is.
 */
export function spread(work, ms = 8) {
  let units = 1;
  return () => {
    const begun = performance.now();
    const done = work(units);
    const took = performance.now() - begun;
    units = Math.max(1, Math.min(4096, Math.round(units * (took > 0.5 ? ms / took : 2))));
    return done;
  };
}

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

/** The links to the page at `hash`: the full page's, and its embed's. */
export function shareLinks(page, embedPage, hash) {
  const base = new URL('.', location.href);
  return { full: new URL(`${page}#${hash}`, base).href, embed: new URL(`${embedPage}#${hash}`, base).href };
}
