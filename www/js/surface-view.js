// The surface view: a background canvas (heatmap, contours, axes), redrawn only when
// the surface, view or size changes, under a foreground canvas (paths) redrawn every
// frame. The pointer moves the start point; hovering finds the nearest iterate; the
// wheel, a pinch or a Shift-drag zooms and pans (zoom-pan.js, which the page passes in,
// so that a page without a surface never loads the gestures). In 3-D
// the core draws the surface as a shaded mesh with the paths on it, in one canvas, and a
// drag turns it.

import { el, fitCanvas } from './dom.js';

/** How far a drag of one CSS pixel turns the 3-D view. */
const DEGREES_PER_PIXEL = 0.4;

/**
 * Builds the view in `root`. `zoom` enlarges text and lines (an embed on a projector);
 * `onStart([x, y])` gets the dragged start, `onHover({path, step} | null)` the iterate
 * under the mouse, `onView({x, y})` a zoomed or panned view box; `getView()` and
 * `getStart()` give the view and start shown; `getCamera()` is [yaw, pitch] in degrees
 * for the 3-D view (null: the map), which a drag turns by `onTurn(dYaw, dPitch)`. With `focusFirst` (an embed in a slide), a click into a page that
 * does not have focus only takes it: the presenter's first click must not move the start.
 * `zoomPan` is zoom-pan.js's gesture handler.
 */
export function surfaceView(root, lab, { zoom = 1, focusFirst = false, zoomPan, onStart, onHover, onResize, onView, getView, getStart, getCamera, onTurn }) {
  const background = el('canvas', { class: 'background', 'aria-hidden': 'true' });
  const foreground = el('canvas', {
    class: 'foreground', tabindex: '0', role: 'img',
    'aria-label': 'Loss surface with optimizer paths. Click or drag to move the start point; wheel or pinch to zoom, Shift-drag to pan.',
  });
  const empty = el('p', { class: 'empty', id: 'empty', hidden: true },
    'No optimizer is shown. Tick one under Optimizers to see its path.');
  root.append(background, foreground, empty);
  const scratch = document.createElement('canvas'); // an export's paths
  let ratio = 1;
  let dirty = true;
  let dragging = null;
  let before = null; // the start before this drag
  let turning = null; // in 3-D: { id, last: [x, y] } while a drag turns the surface

  new ResizeObserver(() => {
    const box = root.getBoundingClientRect();
    const fitted = [background, foreground].map((c) => fitCanvas(c, box));
    ratio = fitted[0].ratio;
    if (fitted.some((f) => f.changed)) {
      dirty = true;
      onResize();
    }
  }).observe(root);

  /** Device pixel of a pointer event. */
  const pixel = (event) => {
    const box = foreground.getBoundingClientRect();
    return [(event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio];
  };
  const clamp = ([x, y]) => {
    const view = getView();
    return [Math.min(view.x[1], Math.max(view.x[0], x)), Math.min(view.y[1], Math.max(view.y[0], y))];
  };
  const inside = (point) => clamp(point).every((v, i) => v === point[i]);
  const gesture = zoomPan(foreground, {
    pixel, pointAt: (p) => lab.point_at(...p), getView, setView: onView, aboutCentre: () => Boolean(getCamera()),
  });

  foreground.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    if (focusFirst && !document.hasFocus()) {
      event.preventDefault();
      foreground.focus({ preventScroll: true, focusVisible: false });
      return;
    }
    if (gesture.claims(event)) {
      event.preventDefault();
      // A second finger makes a pinch: the first one's touch did not mean to move the start.
      if (dragging !== null && before) onStart(before);
      dragging = null;
      return;
    }
    if (getCamera()) {
      event.preventDefault();
      foreground.focus({ preventScroll: true, focusVisible: false });
      foreground.setPointerCapture(event.pointerId);
      turning = { id: event.pointerId, last: [event.clientX, event.clientY] };
      return;
    }
    const point = lab.point_at(...pixel(event));
    if (!inside(point)) return;
    event.preventDefault();
    foreground.focus({ preventScroll: true, focusVisible: false });
    foreground.setPointerCapture(event.pointerId);
    dragging = event.pointerId;
    before = getStart();
    onHover(null);
    onStart(point);
  });
  foreground.addEventListener('pointermove', (event) => {
    if (turning?.id === event.pointerId && !gesture.pinching) {
      // As if the surface were grabbed: right turns it anticlockwise, down tips it up.
      const [x, y] = turning.last;
      turning.last = [event.clientX, event.clientY];
      onTurn(-(event.clientX - x) * DEGREES_PER_PIXEL, (event.clientY - y) * DEGREES_PER_PIXEL);
    } else if (dragging === event.pointerId && !gesture.pinching) {
      // Keep the start inside the view even when the finger overshoots the edge.
      onStart(clamp(lab.point_at(...pixel(event))));
    } else if (event.pointerType === 'mouse' && !getCamera()) {
      const hit = lab.nearest(...pixel(event), 10 * ratio, 0xffffffff);
      onHover(hit.length ? { path: hit[0], step: hit[1] } : null);
    }
  });
  const release = (event) => {
    if (dragging === event.pointerId) dragging = null;
    if (turning?.id === event.pointerId) turning = null;
  };
  foreground.addEventListener('pointerup', release);
  foreground.addEventListener('pointercancel', release);
  foreground.addEventListener('pointerleave', () => dragging === null && onHover(null));

  return {
    background,
    foreground,
    invalidate() {
      dirty = true;
    },
    /**
     * Paints the figure at iterate `upto` with a legend of `labels` onto `canvas` (at
     * most the background's size): what exports and recordings show.
     */
    paint(canvas, upto, labels) {
      const camera = getCamera();
      if (camera) {
        lab.draw_surface3d(canvas, ratio * zoom, upto, ...camera, labels);
        return;
      }
      scratch.width = canvas.width;
      scratch.height = canvas.height;
      lab.draw_paths(scratch, upto, -1, -1, labels);
      const context = canvas.getContext('2d');
      context.drawImage(background, 0, 0);
      context.drawImage(scratch, 0, 0);
    },
    zoomIn: gesture.zoomIn,
    zoomOut: gesture.zoomOut,
    /** Says, over the surface, what to do when no optimizer is shown. */
    showEmpty(on) {
      empty.hidden = !on;
    },
    /**
     * Draws what changed: the background if needed, then the paths, then
     * `overlay(foreground)`; in 3-D, the whole figure.
     */
    draw(upto, highlight, overlay) {
      const camera = getCamera();
      root.classList.toggle('turning', Boolean(camera));
      if (camera) {
        lab.draw_surface3d(foreground, ratio * zoom, upto, ...camera, []);
        return;
      }
      if (dirty) {
        lab.draw_background(background, ratio * zoom);
        dirty = false;
      }
      lab.draw_paths(foreground, upto, highlight?.step ?? -1, highlight?.path ?? -1, []);
      overlay(foreground);
    },
  };
}
