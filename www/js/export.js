// Export: the view as PNG, a vector figure as SVG, the iterates as CSV and JSON (written
// by the core, as the CLI writes them), and a WebM recording of the race. Everything is
// made in the page; nothing is uploaded.

export function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The view as the screen shows it (device resolution), with a legend drawn in. */
export function exportPng(lab, { background, upto, labels }) {
  const canvas = document.createElement('canvas');
  canvas.width = background.width;
  canvas.height = background.height;
  const paths = document.createElement('canvas');
  paths.width = background.width;
  paths.height = background.height;
  lab.draw_paths(paths, upto, -1, -1, labels);
  const context = canvas.getContext('2d');
  context.drawImage(background, 0, 0);
  context.drawImage(paths, 0, 0);
  canvas.toBlob((blob) => download('gradscape.png', blob), 'image/png');
}

export function exportSvg(lab, labels) {
  download('gradscape.svg', new Blob([lab.svg(1000, 750, labels)], { type: 'image/svg+xml' }));
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

/**
 * Records the race as WebM: each frame, the background and the paths up to the iterate
 * shown, with the legend of `labels` drawn in by the core, go into one canvas whose
 * stream MediaRecorder encodes; the file gets its duration from `withDuration(bytes, ms)`.
 * Returns `{frame(upto), stop()}`: call frame() after each drawn frame, stop() when the
 * race ends.
 */
export function recordRace(lab, background, labels, withDuration) {
  if (typeof MediaRecorder === 'undefined') throw new Error('this browser cannot record video');
  const canvas = document.createElement('canvas');
  canvas.width = background.width;
  canvas.height = background.height;
  const paths = document.createElement('canvas');
  paths.width = background.width;
  paths.height = background.height;
  const context = canvas.getContext('2d');
  const frame = (upto) => {
    lab.draw_paths(paths, upto, -1, -1, labels);
    context.drawImage(background, 0, 0);
    context.drawImage(paths, 0, 0);
  };
  frame(0);
  const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) =>
    MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(canvas.captureStream(30), type ? { mimeType: type } : {});
  const chunks = [];
  const started = performance.now();
  recorder.addEventListener('dataavailable', (event) => event.data.size && chunks.push(event.data));
  recorder.addEventListener('stop', async () => {
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    download('gradscape-race.webm', new Blob([withDuration(bytes, performance.now() - started)], { type: 'video/webm' }));
  });
  recorder.start(250);
  return {
    frame,
    stop: () => recorder.state !== 'inactive' && recorder.stop(),
  };
}
