// Zoom and pan of the surface's view box, as on a map: the wheel or a pinch zooms about
// the pointer (or the fingers' midpoint), a drag with Shift or Alt, or with two fingers,
// pans, and + and − zoom about the centre. Every gesture is one rule: the point under
// pixel `from` moves under pixel `to` while the view's width and height scale by `s`.

/** One wheel notch (100 px of delta) zooms by this factor. */
const WHEEL_ZOOM = 1.25;
const KEY_ZOOM = 1.5;

/**
 * The view after a gesture. `pointAt(pixel)` maps a device pixel to the plane in the
 * current `view` (linear in each axis), so a pixel's place in the view is the fraction
 * (pointAt(to) − view min) / size, wherever the plot sits in the canvas.
 */
export function moved(view, pointAt, from, to, s) {
  const anchor = pointAt(from);
  const target = pointAt(to);
  const axis = ([lo, hi], a, t) => {
    const fraction = (t - lo) / (hi - lo);
    const size = (hi - lo) * s;
    const min = a - fraction * size;
    return [min, min + size];
  };
  return { x: axis(view.x, anchor[0], target[0]), y: axis(view.y, anchor[1], target[1]) };
}

/** The view zoomed by `s` about its centre. */
export function zoomedAboutCentre(view, s) {
  const axis = ([lo, hi]) => {
    const centre = (lo + hi) / 2;
    const half = ((hi - lo) * s) / 2;
    return [centre - half, centre + half];
  };
  return { x: axis(view.x), y: axis(view.y) };
}

/**
 * Listens on `target` (the surface's canvas): `pixel(event)` gives an event's device
 * pixel, `pointAt(pixel)` its point, `getView()` the view shown; `setView(view)` asks
 * for a new one (the core may refuse an extreme one); while `aboutCentre()`, gestures
 * zoom about the view's centre and do not pan. Returns `claims(event)`: whether a
 * pointerdown starts a pan or pinch here, so the start point must not move.
 */
export function zoomPan(target, { pixel, pointAt, getView, setView, aboutCentre = () => false }) {
  // In 3-D a pixel is no point of the plane: zoom about the view's centre, never pan.
  const zoom = (from, to, s) => setView(aboutCentre() ? zoomedAboutCentre(getView(), s) : moved(getView(), pointAt, from, to, s));
  const touches = new Map(); // pointerId → its last pixel, while two fingers pinch
  let panning = null; // { id, last }

  target.addEventListener('wheel', (event) => {
    event.preventDefault();
    const lines = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 33 : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? 400 : 1;
    const delta = (event.deltaY || event.deltaX) * lines;
    const at = pixel(event);
    zoom(at, at, WHEEL_ZOOM ** (delta / 100));
  }, { passive: false });

  target.addEventListener('pointerdown', (event) => {
    if (event.pointerType === 'touch') touches.set(event.pointerId, pixel(event));
  });
  target.addEventListener('pointermove', (event) => {
    if (panning?.id === event.pointerId) {
      const now = pixel(event);
      setView(moved(getView(), pointAt, panning.last, now, 1));
      panning.last = now;
    } else if (touches.has(event.pointerId) && touches.size === 2) {
      const [a, b] = [...touches.values()];
      touches.set(event.pointerId, pixel(event));
      const [c, d] = [...touches.values()];
      const mid = (p, q) => [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
      const span = (p, q) => Math.max(1, Math.hypot(p[0] - q[0], p[1] - q[1]));
      zoom(mid(a, b), mid(c, d), span(a, b) / span(c, d));
    }
  });
  const release = (event) => {
    touches.delete(event.pointerId);
    if (panning?.id === event.pointerId) panning = null;
  };
  target.addEventListener('pointerup', release);
  target.addEventListener('pointercancel', release);

  return {
    claims(event) {
      if ((event.shiftKey || event.altKey) && !aboutCentre()) {
        panning = { id: event.pointerId, last: pixel(event) };
        target.setPointerCapture(event.pointerId);
        return true;
      }
      return touches.size >= 2;
    },
    /** Whether a pinch is under way (a second finger must not move the start). */
    get pinching() {
      return touches.size >= 2;
    },
    zoomIn: () => setView(zoomedAboutCentre(getView(), 1 / KEY_ZOOM)),
    zoomOut: () => setView(zoomedAboutCentre(getView(), KEY_ZOOM)),
  };
}
