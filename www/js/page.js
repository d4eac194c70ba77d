// What both labs' pages share: the link kept in the address, the notice of settings
// that could not be used, and the caption of the preset on screen.

import { el } from './dom.js';

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
 * Shows in `caption` the preset whose link is `hash`, if any. `normalize(hash)` writes a
 * preset's link as the page would, so that equal states compare equal.
 */
export function captionFor(caption, presets, normalize) {
  const normalized = presets.map((p) => normalize(p.hash));
  return (hash) => {
    const preset = presets[normalized.indexOf(hash)];
    caption.hidden = !preset;
    caption.textContent = preset ? `${preset.title}: ${preset.caption}` : '';
  };
}

/**
 * `draw` once on the next animation frame however often it is asked for: every input
 * event may ask, the screen shows one frame. The first frame drawn is marked for the
 * benchmark ('gradscape:first-draw').
 */
export function frameScheduler(draw) {
  let requested = false;
  return () => {
    if (requested) return;
    requested = true;
    requestAnimationFrame(() => {
      requested = false;
      draw();
      if (!performance.getEntriesByName('gradscape:first-draw').length) performance.mark('gradscape:first-draw');
    });
  };
}
