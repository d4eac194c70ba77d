// The control that edits one parameter: its name, a box to read and type the value, and
// a slider with room to drag, a fine mode (Shift+drag, Shift+arrows) and a zoom around
// the current value, so that a student can find, say, the largest stable η. A flag is
// a checkbox. Names, symbols and slider scales come from the core's catalogue.

import { el } from './dom.js';

/** Slider positions: enough that a drag of one pixel is a small step even when fine. */
const POSITIONS = 10000;
/** Arrow keys move 1/200 of the slider, 1/2000 with Shift; Shift+drag is ten times finer. */
const ARROW = POSITIONS / 200;
const FINE = 10;
/** A zoomed slider spans a decade around the value (log), or a tenth of the range. */
const ZOOM_DECADES = 1;
const ZOOM_FRACTION = 0.1;

/** A parameter's words, and the lecture's symbol for it (or null). */
const namesOf = (parameter) => [parameter.label, parameter.symbol ?? null];

/** A parameter's name as text: words, then the lecture's symbol. */
export function nameOf(parameter) {
  return namesOf(parameter).filter(Boolean).join(' ');
}

const clamp01 = (t) => Math.min(1, Math.max(0, t));

function toUnit(scale, value) {
  return scale.log
    ? Math.log(value / scale.min) / Math.log(scale.max / scale.min)
    : (value - scale.min) / (scale.max - scale.min);
}

function fromUnit(scale, t) {
  return scale.log ? scale.min * Math.pow(scale.max / scale.min, t) : scale.min + t * (scale.max - scale.min);
}

const toPosition = (scale, value) => Math.round(clamp01(toUnit(scale, value)) * POSITIONS);

/**
 * The value at a slider position: the shortest decimal that the slider would put at the
 * same position, so a value reads 0.0049, not 0.004897388, and the link stays short.
 */
function fromPosition(scale, position) {
  const exact = fromUnit(scale, position / POSITIONS);
  if (scale.integer) return Math.round(exact);
  if (exact === 0) return 0;
  for (let digits = 1; digits < 17; digits++) {
    const value = Number(exact.toPrecision(digits));
    if (value >= scale.min && value <= scale.max && toPosition(scale, value) === position) return value;
  }
  return exact;
}

/** Shortest readable text for a value: 0.003, 1e-8, 0.9. */
export function formatValue(value) {
  if (typeof value === 'boolean') return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) {
    return value.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  return String(value);
}

/** The slider's scale zoomed around `value`, inside the whole scale. */
function zoomed(scale, value) {
  if (scale.log) {
    const half = Math.pow(10, ZOOM_DECADES / 2);
    const v = Math.min(scale.max, Math.max(scale.min, value));
    const min = Math.max(scale.min, v / half);
    const max = Math.min(scale.max, v * half);
    return { ...scale, min, max };
  }
  const half = ((scale.max - scale.min) * ZOOM_FRACTION) / 2;
  const min = Math.max(scale.min, Math.min(value - half, scale.max - 2 * half));
  return { ...scale, min, max: min + 2 * half };
}

let uniqueId = 0;

/**
 * A labelled control for one parameter of the catalogue (`{key, kind, label, symbol,
 * slider, about}`). `onChange(value)` fires on every input event and may return why the
 * value was refused, which the control then shows. Returns `{element, set(value),
 * invalid(message)}`.
 */
export function parameterControl(parameter, value, onChange, prefix = '') {
  const id = `p${++uniqueId}`;
  const name = nameOf(parameter);
  const [words, symbol] = namesOf(parameter);
  // An embed, short of room, shows only the symbol where there is one.
  const label = el('label', { for: id, class: 'name', title: parameter.about || null },
    el('span', { class: 'words' }, words), symbol ? el('span', { class: 'symbol' }, ` ${symbol}`) : null);

  if (parameter.kind === 'true or false') {
    const box = el('input', { type: 'checkbox', id, checked: value, onchange: () => onChange(box.checked) });
    const element = el('div', { class: 'param flag', dataset: { key: parameter.key } }, box, label);
    return { element, set: (v) => (box.checked = v), invalid: () => {} };
  }

  if (parameter.kind === 'text') {
    // Typed text, such as a formula: every keystroke is tried; the core says what is wrong
    // and where, and what it last accepted stays in force.
    const error = el('span', { class: 'error', role: 'alert', id: `${id}-error` });
    const field = el('input', {
      type: 'text', id, class: 'text', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off',
      'aria-describedby': `${id}-error`, value,
    });
    const invalid = (message) => {
      error.textContent = message ?? '';
      field.setAttribute('aria-invalid', message ? 'true' : 'false');
    };
    field.addEventListener('input', () => {
      const refused = onChange(field.value);
      if (typeof refused === 'string') invalid(refused);
    });
    const element = el('div', { class: 'param text', dataset: { key: parameter.key } }, label, field, error);
    return { element, set: (v) => document.activeElement !== field && (field.value = v), invalid };
  }

  const whole = parameter.slider;
  let scale = whole;
  let current = value;
  const slider = el('input', {
    type: 'range', min: '0', max: String(POSITIONS), step: '1',
    'aria-label': `${prefix}${name}${whole.log ? ' (logarithmic slider)' : ' slider'}`,
    'aria-describedby': `${id}-keys`,
  });
  const number = el('input', { type: 'number', id, step: 'any', inputmode: 'decimal', class: 'value' });
  const zoom = whole.integer ? null : el('button', {
    type: 'button', class: 'zoom', 'aria-pressed': 'false', 'aria-label': `Zoom the ${name} slider around its value`,
    title: 'Zoom the slider around this value (a decade for a rate); press again for the whole range',
  }, '±');
  const keys = el('span', { id: `${id}-keys`, class: 'visually-hidden' }, 'Shift with arrows or dragging moves in fine steps.');
  const error = el('span', { class: 'error', role: 'alert' });
  const element = el('div', { class: 'param', dataset: { key: parameter.key } },
    label, number, zoom, slider, keys, error);

  const place = (v) => {
    slider.value = String(toPosition(scale, v));
    slider.setAttribute('aria-valuetext', formatValue(v));
  };
  const show = (v) => {
    current = v;
    if (scale !== whole && (v < scale.min || v > scale.max)) setZoom(false);
    place(v);
    if (document.activeElement !== number) number.value = formatValue(v);
  };
  const invalid = (message) => {
    error.textContent = message ?? '';
    number.setAttribute('aria-invalid', message ? 'true' : 'false');
  };
  // A handler that returns a string says why the value was refused.
  const changed = (v) => {
    current = v;
    const refused = onChange(v);
    if (typeof refused === 'string') invalid(refused);
  };
  const moveTo = (position) => {
    const p = Math.round(Math.min(POSITIONS, Math.max(0, position)));
    const v = fromPosition(scale, p);
    slider.value = String(p);
    slider.setAttribute('aria-valuetext', formatValue(v));
    number.value = formatValue(v);
    changed(v);
  };
  function setZoom(on) {
    scale = on ? zoomed(whole, current) : whole;
    element.classList.toggle('zoomed', on);
    zoom?.setAttribute('aria-pressed', String(on));
    place(current);
  }
  show(value);

  slider.addEventListener('input', () => moveTo(Number(slider.value)));
  // Arrows step 1/200 of the slider, Shift+arrows 1/2000; Page keys keep their tenths.
  slider.addEventListener('keydown', (event) => {
    const direction = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[event.key];
    if (!direction) return;
    event.preventDefault();
    const step = whole.integer ? Math.max(1, POSITIONS / (whole.max - whole.min)) : ARROW;
    moveTo(Number(slider.value) + direction * (event.shiftKey && !whole.integer ? step / 10 : step));
  });
  // Shift+drag: the thumb follows the pointer ten times more slowly.
  slider.addEventListener('pointerdown', (event) => {
    if (!event.shiftKey || event.button !== 0 || whole.integer) return;
    event.preventDefault();
    slider.focus();
    slider.setPointerCapture(event.pointerId);
    const from = { x: event.clientX, position: Number(slider.value) };
    const width = slider.getBoundingClientRect().width || 1;
    const move = (m) => moveTo(from.position + ((m.clientX - from.x) / width) * (POSITIONS / FINE));
    const end = () => {
      slider.removeEventListener('pointermove', move);
      slider.removeEventListener('pointerup', end);
      slider.removeEventListener('pointercancel', end);
    };
    slider.addEventListener('pointermove', move);
    slider.addEventListener('pointerup', end);
    slider.addEventListener('pointercancel', end);
  });
  number.addEventListener('input', () => {
    const v = Number(number.value);
    if (number.value.trim() === '' || !Number.isFinite(v)) return;
    const typed = whole.integer ? Math.round(v) : v;
    if (scale !== whole && (typed < scale.min || typed > scale.max)) setZoom(false);
    place(typed);
    changed(typed);
  });
  number.addEventListener('change', () => (number.value = formatValue(current)));
  zoom?.addEventListener('click', () => setZoom(scale === whole));
  return { element, set: show, invalid };
}
