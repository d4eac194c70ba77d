// The optimizer lab's exports: the view as PNG, a vector figure as SVG, the iterates as
// CSV and JSON (written by the core, as the CLI writes them), the rate map; the race as
// media is in recording.js. Everything is made in the page; nothing is uploaded. The page
// imports this module on its first export.

import { download } from './export.js';

export { download }; // for the race's recorder

/** The figure as the screen shows it (device resolution), with a legend drawn in. */
export function exportPng(composer, upto) {
  composer.draw(upto);
  composer.canvas.toBlob((blob) => download('gradscape.png', blob), 'image/png');
}

/** The figure as SVG: the map, or with a `camera` [yaw, pitch] the surface in 3-D. */
export function exportSvg(lab, labels, camera) {
  const text = camera ? lab.svg3d(1000, 750, ...camera, labels) : lab.svg(1000, 750, labels);
  download('gradscape.svg', new Blob([text], { type: 'image/svg+xml' }));
}

/**
 * The rate map beside the surface, drawn on `canvases` (the map, its marker's layer): as PNG, SVG (the core's
 * vector figure, the marker at the `lr`, `momentum` shown) or CSV (`gradscape rates`' rows).
 */
export function exportRateMap(lab, format, { canvases, lr, momentum }) {
  if (format === 'png') {
    const [map] = canvases;
    const canvas = document.createElement('canvas');
    canvas.width = map.width;
    canvas.height = map.height;
    for (const layer of canvases) canvas.getContext('2d').drawImage(layer, 0, 0);
    canvas.toBlob((blob) => download('gradscape-rates.png', blob), 'image/png');
  }
  if (format === 'svg') download('gradscape-rates.svg', new Blob([lab.rate_map_svg(800, 600, lr, momentum)], { type: 'image/svg+xml' }));
  if (format === 'csv') download('gradscape-rates.csv', new Blob([lab.rate_map_csv()], { type: 'text/csv' }));
}

/** Every iterate of every shown optimizer, as the core writes it (the CLI's numbers). */
export function exportCsv(lab, labels) {
  download('gradscape.csv', new Blob([lab.csv(labels)], { type: 'text/csv' }));
}

/** The settings and every shown run, with the page's link. */
export function exportJson(lab, labels, link) {
  download('gradscape.json', new Blob([`${JSON.stringify(lab.export(labels, link), null, 2)}\n`], { type: 'application/json' }));
}
