// The surface seen other ways: zoomed and panned like a map (wheel, pinch, Shift-drag,
// keys), in 3-D, and typed by the student.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canvasPixels, drawn, useBrowser } from './support.mjs';

const FOREGROUND = '#surface-view .foreground';

const session = useBrowser();

/** The view box the page shows, and the link's `view`. */
const viewOf = (page) =>
  page.evaluate(() => ({
    view: window.gradscape.lab.surface_info().view,
    link: new URLSearchParams(location.hash.slice(1)).get('view'),
    start: window.gradscape.lab.surface_info().start,
  }));

/** The plane's point under a device pixel of the surface. */
const pointAt = (page, u, v) => page.evaluate(([a, b]) => Array.from(window.gradscape.lab.point_at(a, b)), [u, v]);

/** The page's client point at device pixel (u, v) of the surface, and back. */
async function client(page, u, v) {
  const box = await page.locator(FOREGROUND).boundingBox();
  const ratio = await page.evaluate(() => devicePixelRatio);
  return [box.x + u / ratio, box.y + v / ratio];
}

/** The core's build with the 3-D view loaded (the page fetches it when 3-D is first shown), then a frame drawn. */
async function withViews(page) {
  await page.evaluate(() => window.gradscape.views());
  await drawn(page);
}

const width = ({ x }) => x[1] - x[0];
const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

/** Waits for the link to be written (it is throttled) and the frame drawn. */
async function settled(page) {
  await page.waitForFunction(() => window.gradscape && location.hash.includes('view='), null, { timeout: 5000 });
  await drawn(page);
}

describe('zoom and pan', () => {
  test('the wheel zooms about the pointer, and the link records the view', async () => {
    const { page, problems } = await session.lab('#surface=himmelblau');
    const before = await viewOf(page);
    const [u, v] = [300, 200];
    const under = await pointAt(page, u, v);
    const [x, y] = await client(page, u, v);
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, -100); // one notch in
    await settled(page);
    const after = await viewOf(page);
    close(width(after.view), width(before.view) / 1.25, 1e-3 * width(before.view), 'one notch zooms by 1.25');
    const still = await pointAt(page, u, v);
    close(still[0], under[0], 1e-3 * width(after.view), 'the point under the pointer stays (x)');
    close(still[1], under[1], 1e-3 * width(after.view), 'the point under the pointer stays (y)');
    assert.deepEqual(after.link.split(',').map(Number), [...after.view.x, ...after.view.y]);
    assert.deepEqual(after.start, before.start, 'zooming leaves the start alone');
    // The link reproduces the view.
    const again = await session.lab(`#${await page.evaluate(() => location.hash.slice(1))}`);
    assert.deepEqual((await viewOf(again.page)).view, after.view);
    assert.deepEqual(problems, []);
    assert.deepEqual(again.problems, []);
    await again.page.close();
    await page.close();
  });

  test('Shift-drag pans without moving the start; + − zoom; 0 and the view button restore it', async () => {
    const { page, problems } = await session.lab('#surface=himmelblau');
    const own = await viewOf(page);
    assert.equal(await page.isVisible('#own-view'), false, 'no way back is needed yet');
    const [x, y] = await client(page, 300, 300);
    const ratio = await page.evaluate(() => devicePixelRatio);
    const left = await pointAt(page, 300, 300);
    await page.keyboard.down('Shift');
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 100, y, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await settled(page);
    const panned = await viewOf(page);
    close(width(panned.view), width(own.view), 1e-9, 'a pan keeps the size');
    const moved = await pointAt(page, 300 + 100 * ratio, 300);
    close(moved[0], left[0], 1e-3 * width(own.view), 'the grabbed point follows the pointer');
    assert.deepEqual(panned.start, own.start, 'Shift-drag does not move the start');
    assert.equal(await page.isVisible('#own-view'), true);

    await page.focus(FOREGROUND);
    await page.keyboard.press('+');
    await drawn(page);
    close(width((await viewOf(page)).view), width(own.view) / 1.5, 1e-3 * width(own.view), '+ zooms in');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await drawn(page);
    close(width((await viewOf(page)).view), width(own.view) * 1.5, 1e-3 * width(own.view), '− zooms out');
    await page.keyboard.press('0');
    await drawn(page);
    assert.deepEqual((await viewOf(page)).view, own.view, '0 restores the surface\'s view');
    assert.equal(await page.isVisible('#own-view'), false);
    await page.keyboard.press('+');
    await page.click('#own-view');
    await drawn(page);
    assert.deepEqual((await viewOf(page)).view, own.view, 'so does the view button');
    await page.waitForFunction(() => !location.hash.includes('view='));
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a pinch zooms about the fingers; zooming stops at the core\'s limits', async () => {
    const { page, problems } = await session.lab('#surface=himmelblau', { hasTouch: true, isMobile: true, viewport: { width: 375, height: 667 } });
    const own = await viewOf(page);
    const box = await page.locator(FOREGROUND).boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, spread) => cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [{ x: cx - spread, y: cy, id: 0 }, { x: cx + spread, y: cy, id: 1 }],
    });
    await touch('touchStart', 20);
    for (const spread of [30, 40, 60, 80]) await touch('touchMove', spread);
    await touch('touchEnd', 0);
    await settled(page);
    const pinched = await viewOf(page);
    close(width(pinched.view), width(own.view) / 4, 0.05 * width(own.view), 'spreading the fingers 4× zooms in 4×');
    assert.deepEqual(pinched.start, own.start, 'a pinch does not move the start');
    // Far out: the core refuses views beyond its bound; the page keeps the last good one.
    for (let i = 0; i < 60; i += 1) await page.keyboard.press('-');
    await drawn(page);
    const far = await viewOf(page);
    assert.ok(Number.isFinite(width(far.view)) && width(far.view) > width(own.view), 'zoomed out as far as allowed');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('a surface typed as a formula', () => {
  const FIELD = '#surface-params input[type="text"]';
  /** The shown runs' iterates, in the order the legend lists them. */
  const paths = (page) => page.evaluate(() => {
    const { lab, state } = window.gradscape;
    return state.optimizers.flatMap((o, i) => (o.enabled ? [{ id: o.id, iterates: Array.from(lab.iterates(i)) }] : []))
      .sort((a, b) => a.id.localeCompare(b.id));
  });

  test('typing f(x, y) runs every optimizer on it; an error says where, and the last good surface stays', async () => {
    const { page, problems } = await session.lab('');
    await page.selectOption('#surface-id', 'formula');
    await drawn(page);
    await page.fill(FIELD, '(x-1)^2 + 2*(y+0.5)^2');
    await drawn(page);
    const info = await page.evaluate(() => window.gradscape.lab.surface_info());
    assert.deepEqual(info.critical_points.map((c) => [c.kind, ...c.point.map((v) => Number(v.toFixed(9)))]), [['minimum', 1, -0.5]]);
    // Iterates come as x, y, f: some run ends at the typed minimum.
    const ends = (await paths(page)).map((p) => p.iterates.slice(-3, -1));
    assert.ok(ends.some(([x, y]) => Math.hypot(x - 1, y + 0.5) < 1e-3), JSON.stringify(ends));
    assert.match(await page.textContent('#legend'), /converged/);

    // Typing on keeps the start a student chose.
    await page.fill('#start-x', '0.5');
    await page.fill(FIELD, '(x-1)^2 + 2*(y+0.5)^2 + 0');
    await drawn(page);
    assert.equal(await page.evaluate(() => window.gradscape.lab.surface_info().start[0]), 0.5);
    await page.fill(FIELD, '(x-1)^2 + 2*(y+0.5)^2');
    await drawn(page);
    const good = await paths(page);

    // A slip of the keyboard: the place and what was expected, and nothing else changes.
    await page.fill(FIELD, '(x-1)^2 + 2*(y+0.5^2');
    await drawn(page);
    assert.match(await page.textContent('#surface-params .error'), /^at 21: expected '\)' to close the '\(' at 13/);
    assert.equal(await page.getAttribute(FIELD, 'aria-invalid'), 'true');
    assert.deepEqual(await paths(page), good, 'the last good surface stays');
    await page.fill(FIELD, '(x-1)^2 + 2*(y+0.5)^2 + 0.1*max(x, y)');
    await drawn(page);
    assert.equal(await page.textContent('#surface-params .error'), '');

    // The link holds the formula whole (its commas too) and reproduces the runs.
    await page.waitForFunction(() => location.hash.includes('max(x'));
    const hash = await page.evaluate(() => location.hash);
    assert.match(decodeURIComponent(hash), /surface=formula:\(x-1\)\^2 \+ 2\*\(y\+0\.5\)\^2 \+ 0\.1\*max\(x, y\)(&|$)/);
    const typed = await paths(page);
    const again = await session.lab(hash);
    assert.deepEqual(await paths(again.page), typed, 'bit for bit from the link');
    assert.equal(await again.page.inputValue(FIELD), '(x-1)^2 + 2*(y+0.5)^2 + 0.1*max(x, y)');
    assert.deepEqual(problems, []);
    assert.deepEqual(again.problems, []);
    await again.page.close();
    await page.close();
  });

  test('a broken or enormous formula in a link is named and the page works', async () => {
    for (const [formula, said] of [['sin(x', /at 6: expected '\)'/], ['('.repeat(1500) + 'x', /surface/]]) {
      const { page, problems } = await session.lab(`#surface=formula:${encodeURIComponent(formula)}`);
      assert.equal(await page.isVisible('#notice'), true);
      assert.match(await page.textContent('#notice'), said);
      assert.ok(await page.evaluate(() => window.gradscape.lab.longest()) > 1, 'the default surface runs');
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});

describe('the surface in 3-D', () => {
  const cameraOf = (page) => page.evaluate(() => window.gradscape.state.camera);

  test('the 3-D switch shows the mesh; a drag turns it without moving the start; the link keeps the camera', async () => {
    const { page, problems } = await session.lab('#surface=saddle&opt=sgd|momentum');
    const map = await canvasPixels(page, FOREGROUND);
    await page.click('#figure-bar input[value="3-D"]');
    await withViews(page);
    const turned = await canvasPixels(page, FOREGROUND);
    assert.ok(turned.painted > 0.9 * turned.width * turned.height, 'the 3-D figure fills its canvas');
    assert.ok(turned.painted > 3 * map.painted, 'not the paths alone');
    const camera = await page.evaluate(() => window.gradscape.catalogue.plane.camera);
    assert.deepEqual(await cameraOf(page), [camera.yaw, camera.pitch]);
    const start = await page.evaluate(() => window.gradscape.lab.surface_info().start);

    const box = await page.locator(FOREGROUND).boundingBox();
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 50, y + 25, { steps: 5 });
    await page.mouse.up();
    await drawn(page);
    assert.deepEqual(await cameraOf(page), [camera.yaw - 20, camera.pitch + 10], '0.4° a pixel');
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, turned.digest, 'redrawn as it turns');
    assert.deepEqual(await page.evaluate(() => window.gradscape.lab.surface_info().start), start, 'the start stays');
    // The link keeps the camera turned (it is written a moment after the drag).
    await page.waitForFunction((c) => location.hash.includes(`camera=${c}`), `${camera.yaw - 20},${camera.pitch + 10}`);
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, new RegExp(`camera=${camera.yaw - 20},${camera.pitch + 10}(&|$)`));

    // The race plays in 3-D, and the link brings the 3-D view back.
    await page.click('#figure-bar input[value="race"]');
    await page.keyboard.press('ArrowRight');
    await drawn(page);
    const first = (await canvasPixels(page, FOREGROUND)).digest;
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowRight');
    await drawn(page);
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, first, 'the race moves on the surface');
    const again = await session.lab(hash);
    assert.deepEqual(await cameraOf(again.page), [camera.yaw - 20, camera.pitch + 10]);
    assert.equal(await again.page.isChecked('#figure-bar input[value="3-D"]'), true);
    await again.page.click('#figure-bar input[value="map"]');
    await drawn(again.page);
    assert.equal(await cameraOf(again.page), null);
    assert.deepEqual(problems, []);
    assert.deepEqual(again.problems, []);
    await again.page.close();
    await page.close();
  });

  test('a first visit fetches the first build of the core only; the 3-D switch fetches the views, the map showing meanwhile', async () => {
    // What a first visit does not draw (the views' build, the panel, the recorders) is fetched when first used.
    const { page, problems } = await session.lab('#surface=saddle&opt=sgd|momentum');
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok(fetched.includes('/pkg/optimizers/gradscape_bg.wasm'), fetched.join(' '));
    const later = ['/pkg/optimizer-views/', '/pkg/media/', '/js/analysis-view.js', '/js/export.js', '/js/optimizer-export.js', '/js/recording.js'];
    assert.ok(!fetched.some((f) => later.some((l) => f.startsWith(l))), fetched.join(' '));
    const map = await canvasPixels(page, FOREGROUND);
    // The views' build held back: the map stays, input stays live, and a note says what is coming.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    await page.route('**/pkg/optimizer-views/gradscape_bg.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.click('#figure-bar input[value="3-D"]');
    await drawn(page);
    assert.equal(await page.isVisible('#views-loading'), true);
    assert.equal((await canvasPixels(page, FOREGROUND)).digest, map.digest, 'the map while the 3-D view loads');
    const start = await page.evaluate(() => window.gradscape.lab.surface_info().start);
    const box = await page.locator(FOREGROUND).boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await drawn(page);
    assert.notDeepEqual(await page.evaluate(() => window.gradscape.lab.surface_info().start), start, 'a click still moves the start');
    release();
    await withViews(page);
    assert.equal(await page.isVisible('#views-loading'), false);
    const turned = await canvasPixels(page, FOREGROUND);
    assert.ok(turned.painted > 0.9 * turned.width * turned.height, 'then the 3-D figure');
    assert.equal((await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/pkg/optimizer-views/gradscape_bg.wasm')).length)), 1);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a camera the core cannot use is named in the notice; an embed can offer the switch', async () => {
    const bad = await session.lab('#surface=saddle&camera=10,95');
    assert.match(await bad.page.textContent('#notice'), /camera \(expected a pitch from 3 to 86 degrees\)/);
    assert.equal(await cameraOf(bad.page), null);
    assert.deepEqual(bad.problems, []);
    await bad.page.close();
    const { page, problems } = await session.lab('embed.html#surface=saddle&camera=-35,35&controls=3d,play', { viewport: { width: 960, height: 540 } });
    assert.equal(await page.isVisible('#figure-bar input[value="3-D"]'), true);
    await withViews(page);
    const shown = await canvasPixels(page, FOREGROUND);
    assert.ok(shown.painted > 0.9 * shown.width * shown.height);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('a view box typed', () => {
  test('typing the view box shows it, the link keeps it, and a bad one changes nothing', async () => {
    const { page, problems } = await session.lab('#surface=himmelblau');
    assert.equal(await page.inputValue('#view-x-min'), '-6');
    for (const [id, value] of [['#view-x-min', '-1'], ['#view-x-max', '4'], ['#view-y-min', '0'], ['#view-y-max', '3']]) {
      await page.fill(id, value);
    }
    await drawn(page);
    assert.deepEqual((await viewOf(page)).view, { x: [-1, 4], y: [0, 3] });
    await page.waitForFunction(() => location.hash.includes('view=-1,4,0,3'));
    await page.fill('#view-x-max', '-2'); // min > max: refused
    await drawn(page);
    assert.deepEqual((await viewOf(page)).view, { x: [-1, 4], y: [0, 3] });
    // Zooming shows the new box in the fields.
    await page.focus(FOREGROUND);
    await page.keyboard.press('0');
    await drawn(page);
    assert.equal(await page.inputValue('#view-x-max'), '6');
    assert.deepEqual(problems, []);
    await page.close();
  });
});
