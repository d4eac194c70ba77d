// The surface view: a background canvas (heatmap, contours, axes), redrawn only when
// the surface, view or size changes, under a foreground canvas (paths) redrawn every
// frame. Pointer and keyboard move the start point; hovering finds the nearest iterate.

/** Backing stores sized in device pixels, so lines stay sharp on high-DPI screens. */
export function fitCanvas(canvas, box) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(box.width * ratio));
  const height = Math.max(1, Math.round(box.height * ratio));
  const changed = canvas.width !== width || canvas.height !== height;
  if (changed) {
    canvas.width = width;
    canvas.height = height;
  }
  return { ratio, changed };
}

export function surfaceView(root, lab, { onStart, onHover, onResize, getView, getStart }) {
  const [background, foreground] = root.querySelectorAll('canvas');
  let ratio = 1;
  let dirty = true;
  let dragging = null;

  function resize() {
    const box = root.getBoundingClientRect();
    const fitted = [background, foreground].map((c) => fitCanvas(c, box));
    ratio = fitted[0].ratio;
    if (fitted.some((f) => f.changed)) {
      dirty = true;
      onResize();
    }
  }
  new ResizeObserver(resize).observe(root);

  /** Device pixel of a pointer event. */
  const pixel = (event) => {
    const box = foreground.getBoundingClientRect();
    return [(event.clientX - box.left) * ratio, (event.clientY - box.top) * ratio];
  };

  const insideView = ([x, y]) => {
    const view = getView();
    return view.x[0] <= x && x <= view.x[1] && view.y[0] <= y && y <= view.y[1];
  };

  foreground.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    const point = lab.point_at(...pixel(event));
    if (!insideView(point)) return;
    event.preventDefault();
    foreground.focus({ preventScroll: true });
    foreground.setPointerCapture(event.pointerId);
    dragging = event.pointerId;
    onHover(null);
    onStart(point);
  });
  foreground.addEventListener('pointermove', (event) => {
    if (dragging === event.pointerId) {
      const view = getView();
      const [x, y] = lab.point_at(...pixel(event));
      // Keep the start inside the view even when the finger overshoots the edge.
      onStart([
        Math.min(view.x[1], Math.max(view.x[0], x)),
        Math.min(view.y[1], Math.max(view.y[0], y)),
      ]);
    } else if (event.pointerType === 'mouse') {
      const hit = lab.nearest(...pixel(event), 10 * ratio, 0xffffffff);
      onHover(hit.length ? { path: hit[0], step: hit[1] } : null);
    }
  });
  const release = (event) => {
    if (dragging === event.pointerId) dragging = null;
  };
  foreground.addEventListener('pointerup', release);
  foreground.addEventListener('pointercancel', release);
  foreground.addEventListener('pointerleave', () => dragging === null && onHover(null));

  foreground.addEventListener('keydown', (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const view = getView();
    const fraction = event.shiftKey ? 0.1 : 0.02;
    const [x, y] = getStart();
    onStart([
      Math.min(view.x[1], Math.max(view.x[0], x + move[0] * fraction * (view.x[1] - view.x[0]))),
      Math.min(view.y[1], Math.max(view.y[0], y + move[1] * fraction * (view.y[1] - view.y[0]))),
    ]);
  });

  return {
    invalidate() {
      dirty = true;
    },
    /** Draws what changed: the background if needed, then the paths. */
    draw(upto, highlight) {
      if (dirty) {
        lab.draw_background(background, ratio);
        dirty = false;
      }
      lab.draw_paths(foreground, upto, highlight?.step ?? -1, highlight?.path ?? -1);
    },
  };
}
