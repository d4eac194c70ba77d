// The Share panel: the link to the picture, and an embed builder: tick the controls a
// slide's demo shows, see it live at a slide's size, copy the iframe. The chosen controls are the link's
// `controls=`, so the page's own link carries them too.

import { el } from './dom.js';

/** The slide sizes a preview can take. */
const SIZES = [[960, 540], [1280, 720]];

/**
 * A builder offering `names()` (the controls that make sense now, e.g. only the enabled
 * optimizers' parameters) with `chosen()` ticked; `onChoose(list)` gets the new choice.
 * `show(url, title)` puts the embed at `url` in the preview and its iframe in the box.
 */
function embedBuilder({ names, chosen, onChoose, onCopy }) {
  const boxes = el('div', { class: 'choices', role: 'group', 'aria-label': 'Controls the slide shows' });
  let size = SIZES[0];
  let url = '';
  let title = '';
  const frame = el('iframe', { title: 'Preview of the embed', loading: 'lazy', tabindex: '-1' });
  const stage = el('div', { class: 'stage' }, frame);
  const sizes = el('div', { class: 'row sizes', role: 'radiogroup', 'aria-label': 'Slide size' },
    SIZES.map(([w, h], i) => el('label', {}, el('input', {
      type: 'radio', name: 'embed-size', checked: i === 0,
      onchange: () => {
        size = [w, h];
        write();
        load();
      },
    }), ` ${w}×${h}`)));
  const preview = el('details', { class: 'preview', ontoggle: () => load() },
    el('summary', {}, 'preview'), sizes, stage);
  const code = el('input', { id: 'embed-code', readonly: true, 'aria-label': 'Embed code for a slide' });

  /** The frame at the slide's size, scaled to the panel's width. */
  function fit() {
    const [w, h] = size;
    const scale = (stage.clientWidth || 320) / w;
    frame.width = String(w);
    frame.height = String(h);
    frame.style.setProperty('transform', `scale(${scale})`);
    stage.style.setProperty('height', `${h * scale}px`);
  }
  /** The iframe for a slide, at the chosen size. */
  function write() {
    const quoted = (text) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    code.value = `<iframe src="${quoted(url)}" width="${size[0]}" height="${size[1]}" style="border:0" title="${quoted(title)}" loading="lazy"></iframe>`;
  }
  function load() {
    if (!preview.open) return;
    fit();
    if (frame.src !== url) frame.src = url;
  }

  let offered = '';
  /** The boxes, made again only when the controls on offer change (focus stays put). */
  function tick() {
    const current = chosen();
    if (names().join() === offered) return;
    offered = names().join();
    boxes.replaceChildren(...names().map((name) => el('label', { class: 'choice' },
      el('input', {
        type: 'checkbox', value: name, checked: current.includes(name),
        onchange: () => onChoose([...boxes.querySelectorAll('input:checked')].map((box) => box.value)),
      }), ` ${name}`)));
  }

  const element = el('div', { class: 'embed-builder' },
    el('p', { class: 'row' }, 'In a slide, show:'), boxes, preview,
    el('div', { class: 'row' }, code, el('button', { type: 'button', onclick: () => onCopy(code, 'embed code') }, 'copy embed code')));
  tick();
  return {
    element,
    show(embedUrl, embedTitle) {
      tick();
      url = embedUrl;
      title = embedTitle;
      write();
      load();
    },
  };
}

/** Copies `input`'s text, saying so in `said` (or how to, where the clipboard is closed). */
function copy(input, what, said) {
  navigator.clipboard.writeText(input.value).then(
    () => (said.textContent = `The ${what} is copied.`),
    () => {
      input.select();
      said.textContent = `Press Ctrl+C (⌘C) to copy the ${what}.`;
    });
}

/**
 * The Share panel: the page's link, and the embed builder (see `embedBuilder`).
 * `show(url, embedUrl, title)` puts in the links of the picture on screen.
 */
export function sharePanel({ names, chosen, onChoose }) {
  const said = el('p', { class: 'copied', id: 'copied', role: 'status' });
  const onCopy = (input, what) => copy(input, what, said);
  const link = el('input', { id: 'link', readonly: true, 'aria-label': 'Link to this picture' });
  const builder = embedBuilder({ names, chosen, onChoose, onCopy });
  const element = el('fieldset', { class: 'share', dataset: { control: 'share' } },
    el('legend', {}, 'Share'),
    el('div', { class: 'row' }, link, el('button', { type: 'button', onclick: () => onCopy(link, 'link') }, 'copy link')),
    builder.element,
    said);
  return {
    element,
    show(url, embedUrl, title) {
      link.value = url;
      builder.show(embedUrl, title);
    },
  };
}
