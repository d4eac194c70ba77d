// The optimizer lab's core, in two builds of one handle: `optimizers`, what a first
// visit draws (the map, the paths, the loss chart, the exports but SVG), loaded with
// the page, and `optimizer-views`, the same lab with the views a first visit does not
// draw (the 3-D surface, the panels beside the surface, an explained step, the SVG
// figures) and typed formulas, fetched the first time one is asked for. The page holds one `lab` whichever
// build runs it: on the switch, the fuller build opens the settings the first one runs
// (the core is deterministic: the same paths) and takes over.

import init, { OptimizerLab, catalogue, presets } from '../pkg/optimizers/gradscape.js';

/**
 * Loads the first build: `{lab, catalogue, presets, hasViews(), views()}`. `views()`
 * fetches the fuller build once and resolves when `lab` runs on it (which has drawn
 * nothing yet); `hasViews()` says whether it does.
 */
export async function openCore() {
  await init();
  let current = new OptimizerLab();
  let loading = null;
  // Every call goes to the build that runs now; a property set (a test's stub) goes on it.
  const lab = new Proxy({}, {
    get(_, name) {
      const value = current[name];
      return typeof value === 'function' ? value.bind(current) : value;
    },
    set(_, name, value) {
      current[name] = value;
      return true;
    },
  });
  const views = () => {
    loading ??= (async () => {
      const module = await import('../pkg/optimizer-views/gradscape.js');
      await module.default();
      const next = new module.OptimizerLab();
      next.set_state(current.settings());
      const first = current;
      current = next;
      first.free();
    })().catch((error) => {
      loading = null; // asked again, it tries again
      throw error;
    });
    return loading;
  };
  return {
    lab,
    catalogue: catalogue(),
    presets: presets(),
    hasViews: () => !(current instanceof OptimizerLab),
    views,
  };
}
