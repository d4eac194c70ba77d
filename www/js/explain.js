// The anatomy of a step: at the race's current iterate, one optimizer's update drawn on
// the surface (the gradient, the velocity, Nesterov's look-ahead, an adaptive method's
// per-coordinate step) and narrated in the lecture's notation with its numbers. The
// core computes and draws it from the optimizer's own state, so what is drawn is the
// step the path takes.

import { el } from './dom.js';
import { labelOf } from './state.js';

/**
 * `state.explain` is the index of the optimizer explained, or −1. `onExplain(index)`
 * turns it on (race mode follows) or off (−1); `ready()` says whether the core's build
 * that explains a step has loaded. Returns the bar's toggle and choice, the narration
 * line, `show()` and `overlay(foreground, frame)`.
 */
export function explainer(lab, state, { ready, onExplain }) {
  const toggle = el('button', {
    type: 'button', id: 'explain', 'aria-pressed': 'false', title: 'Explain the step at this iterate',
    onclick: () => onExplain(state.explain >= 0 ? -1 : firstShown()),
  }, 'explain');
  const choice = el('select', { id: 'explain-which', 'aria-label': 'The optimizer whose step is explained',
    onchange: () => onExplain(Number(choice.value)) });
  const narration = el('p', { class: 'narration', id: 'narration', 'aria-live': 'polite', hidden: true });

  let choices = null; // what the choice lists now
  const firstShown = () => Math.max(0, state.optimizers.findIndex((o) => o.enabled));

  return {
    bar: el('span', { class: 'explain' }, toggle, choice),
    narration,
    show() {
      const on = state.explain >= 0 && state.optimizers[state.explain]?.enabled;
      toggle.setAttribute('aria-pressed', String(Boolean(on)));
      choice.hidden = !on;
      narration.hidden = !on;
      if (!on) {
        choices = null;
        return;
      }
      // Rebuilt only when what it lists changes: show() runs on every slider event.
      const listed = state.optimizers.flatMap((o, i) => (o.enabled ? [[i, labelOf(o)]] : []));
      const key = JSON.stringify([listed, state.explain]);
      if (key === choices) return;
      choices = key;
      choice.replaceChildren(...listed.map(([i, label]) => el('option', { value: String(i), selected: i === state.explain }, label)));
    },
    /** Draws the step over the paths and narrates it; nothing when off or the run is too short. */
    overlay(foreground, frame) {
      if (narration.hidden) return;
      if (!ready()) {
        narration.textContent = 'Loading the explanation…';
        return;
      }
      const status = lab.statuses()[state.explain];
      if (!status || status.iterates < 2) {
        narration.textContent = 'This run has no step to explain.';
        return;
      }
      // The step k → k+1 shown at iterate `frame`: the last one once the run has ended.
      const step = Math.max(0, Math.min(frame, status.iterates - 2));
      lab.draw_anatomy(foreground, state.explain, step);
      narration.textContent = `Step ${step} → ${step + 1}: ${lab.anatomy(state.explain, step).narration}`;
    },
  };
}
