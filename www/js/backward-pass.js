// The backward pass, played on the network drawing for the inspected point: forward
// layer by layer, the error at the outputs, then backwards layer by layer, one stage
// at a time at a pace a lecturer can narrate, or one step › at a time. The core gives
// each stage's caption and draws it; this only keeps time.

import { el } from './dom.js';

/** Time on each stage while playing, in ms. */
const PACE = 1400;

/**
 * The pass's bar. `captions(index)` gives the stages' captions for a point (the core's
 * `pass_stages`), `point()` the inspected point (−1 for none), `choosePoint()` picks one
 * when there is none, `onBegin()` hears the pass start (training pauses: the pass shows
 * one θ), and `onStage()` redraws.
 */
export function backwardPass({ captions, point, choosePoint, onBegin, onStage }) {
  let stage = -1;
  let stages = [];
  let timer = 0;
  const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const play = el('button', { type: 'button', id: 'pass-play', title: 'Play the backward pass for the inspected point' }, '▶ backward');
  const step = el('button', { type: 'button', id: 'pass-step', title: 'The next stage of the pass' }, 'step ›');
  const close = el('button', { type: 'button', id: 'pass-close', 'aria-label': 'Back to the network', title: 'Back to the network', hidden: true }, '×');
  const caption = el('span', { class: 'pass-caption', id: 'pass-caption', 'aria-live': 'polite' });
  const bar = el('div', { class: 'pass-bar' }, play, step, close, caption);

  function show() {
    caption.textContent = stage >= 0 ? `${stage + 1}/${stages.length} · ${stages[stage]}` : '';
    play.textContent = timer ? '❚❚ pause' : '▶ backward';
    play.setAttribute('aria-pressed', String(Boolean(timer)));
    close.hidden = stage < 0;
    onStage();
  }

  /** Starts at the first stage for the inspected point (choosing one if none is). */
  function begin() {
    if (point() < 0) choosePoint();
    if (point() < 0) return false;
    onBegin();
    stages = captions(point());
    stage = 0;
    return true;
  }

  function pause() {
    clearInterval(timer);
    timer = 0;
  }

  function advance() {
    if (stage < 0 || stage >= stages.length - 1) {
      if (!begin()) return;
    } else {
      stage += 1;
    }
    if (stage >= stages.length - 1) pause();
    show();
  }

  play.addEventListener('click', () => {
    if (timer) {
      pause();
    } else {
      if (stage < 0 || stage >= stages.length - 1) {
        if (!begin()) return;
      }
      if (!reduced) timer = setInterval(advance, PACE);
    }
    show();
  });
  step.addEventListener('click', () => {
    pause();
    advance();
  });
  close.addEventListener('click', () => stop());

  /** Back to the plain network drawing. */
  function stop() {
    pause();
    stage = -1;
    show();
  }

  return {
    bar,
    stop,
    /** The stage to draw, or −1 for the plain network. */
    get stage() {
      return stage;
    },
  };
}
