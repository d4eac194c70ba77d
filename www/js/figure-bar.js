// The bar above a lab's figure: what drives the picture (the player, the mode) next to
// it, where a student's eyes are, and a list of the keys that drive it from the
// keyboard or a presenter's clicker.

import { el } from './dom.js';

/**
 * The bar, holding `items` (nodes, left to right) and a "keys" list of `keys`
 * (`[key, what it does]` pairs).
 */
export function figureBar(items, keys) {
  const help = el('details', { class: 'keys', id: 'keys' },
    el('summary', { title: 'Keys (?)' }, 'keys'),
    el('dl', {}, keys.flatMap(([key, what]) => [el('dt', {}, el('kbd', {}, key)), el('dd', {}, what)])));
  return el('div', { class: 'figure-bar', id: 'figure-bar' }, items, help);
}

/** A button of the bar. */
export const barButton = (id, text, title, onclick) =>
  el('button', { type: 'button', id, title, 'aria-label': title, onclick }, text);

/**
 * A switch of radios named `group` choosing one of `names`, `current` checked;
 * `onPick(name)` on a change. `show(name)` gives each choice's content and `describe(name)`
 * its accessible name, if not its content; `control` is its name in an embed's `controls=`.
 */
export function modeSwitch({ label, group, names, current, onPick, show = (name) => name, describe = () => null, control = 'mode' }) {
  return el('div', { class: 'switch', role: 'radiogroup', 'aria-label': label, dataset: { control } },
    names.map((name) => el('label', { title: describe(name) },
      el('input', {
        type: 'radio', name: group, value: name, checked: name === current, 'aria-label': describe(name),
        onchange: (e) => e.target.checked && onPick(name),
      }),
      el('span', {}, show(name)))));
}

/** Opens or closes the key list (the ? key). */
export function toggleKeys() {
  const help = document.getElementById('keys');
  if (help) help.open = !help.open;
}
