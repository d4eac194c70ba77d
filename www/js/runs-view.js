// Runs side by side: a strip naming each run by its colour and its difference from the
// first (the core's labels), to make it current, pause it or remove it, and the button
// that adds a copy of the current run. The charts draw every run in the same colours.

import { el } from './dom.js';

/**
 * The strip. `runs()` gives the core's runs (`[{label, colour, paused, status}]`),
 * `current()` the current one's index, `most` how many there may be; `onPick(i)`,
 * `onPause(i)`, `onRemove(i)` and `onAdd()` act.
 */
export function runsStrip({ runs, current, most, onPick, onPause, onRemove, onAdd }) {
  const add = el('button', { type: 'button', id: 'add-run', title: 'Add a run beside this one: a copy of it, to change one setting of; every run starts again' }, '+ run');
  add.addEventListener('click', onAdd);
  const list = el('ul', { class: 'run-list', id: 'runs', 'aria-label': 'Runs side by side' });
  const strip = el('div', { class: 'runs-strip', dataset: { control: 'runs' } }, list, add);

  /** Redraws the chips from the core's runs, when they changed. */
  let shown = null;
  function show() {
    const all = runs();
    const chosen = current();
    const key = JSON.stringify([chosen, all.map((run) => [run.label, run.colour, run.paused, run.status.stopped])]);
    if (key === shown) return;
    shown = key;
    add.disabled = all.length >= most;
    strip.classList.toggle('single', all.length === 1);
    list.replaceChildren(...(all.length === 1 ? [] : all.map((run, i) => {
      const stopped = run.status.stopped ? ` · ${run.status.stopped.kind === 'diverged' ? 'diverged' : 'stopped'}` : '';
      return el('li', { class: `run${i === chosen ? ' current' : ''}${run.paused ? ' paused' : ''}` },
        el('button', {
          type: 'button', class: 'run-pick', 'aria-pressed': String(i === chosen),
          title: i === chosen ? 'The current run: the map, the network and the controls show it' : 'Make this run current',
          onclick: () => onPick(i),
        }, el('span', { class: 'run-swatch', style: { '--colour': run.colour } }), `${i + 1} · ${run.label}${stopped}`),
        el('button', {
          type: 'button', class: 'run-pause', 'aria-pressed': String(run.paused),
          'aria-label': `${run.paused ? 'Resume' : 'Pause'} run ${i + 1}`, title: run.paused ? 'Resume this run' : 'Pause this run',
          onclick: () => onPause(i),
        }, run.paused ? '▶' : '❚❚'),
        el('button', {
          type: 'button', class: 'run-remove', 'aria-label': `Remove run ${i + 1}`, title: 'Remove this run',
          onclick: () => onRemove(i),
        }, '×'));
    })));
  }

  return { strip, add, show };
}
