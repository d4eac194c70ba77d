// The page as students and lecturers meet it: a laptop, a phone, a slide. Each size is
// saved as a screenshot under tests/artifacts/ for a person to look at, and held to
// rules that can be measured: the figure and its chart on the first screen, the surface
// in the top half of a phone, fingers' targets of at least 24×24 px, lecture-hall type
// in an embed, no sideways scrolling, no console error. Then what a person does with
// it: follows a preset's caption, finds the edge of stability with a fine slider,
// drives a race from the keyboard, clicks into a slide's demo.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { drawn, openLab, repoRoot, useBrowser } from './support.mjs';

const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const session = useBrowser();
before(() => mkdir(artifacts, { recursive: true }));

const LAPTOP = { width: 1366, height: 768 };
const WIDE = { width: 1920, height: 1080 };
const PHONE = { width: 375, height: 667 };
const SLIDE = { width: 960, height: 540 };
const BIG_SLIDE = { width: 1280, height: 720 };

const open = (page, viewport, options = {}) =>
  openLab(session.browser, `${session.server.url}/${page}`, { viewport, ...options });
const TOUCH = { hasTouch: true, isMobile: true };

/** The gallery's link for the preset titled `title`, as the page wrote it. */
const presetHash = (page, title) =>
  page.evaluate((t) => [...document.querySelectorAll('#presets a')].find((a) => a.textContent === t).getAttribute('href'), title);

/** Measures the page as laid out: boxes of `selectors`, the scroll extent, the viewport. */
const measure = (page, selectors) =>
  page.evaluate((selectors) => {
    const box = (s) => {
      const element = document.querySelector(s);
      if (!element || !element.offsetParent) return null;
      const r = element.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
    };
    return {
      boxes: Object.fromEntries(selectors.map((s) => [s, box(s)])),
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
      width: innerWidth,
      height: innerHeight,
    };
  }, selectors);

/** Every visible control smaller than `least` px in either direction. */
const smallTargets = (page, least) =>
  page.evaluate((least) => [...document.querySelectorAll('input, button, select, summary, a, [tabindex="0"]')]
    .filter((e) => e.offsetParent && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.visually-hidden'))
    .map((e) => ({ e, r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && (r.width < least || r.height < least))
    .map(({ e, r }) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} "${(e.textContent || e.value || e.getAttribute('aria-label') || '').slice(0, 20)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`), least);

/** Visible text set smaller than `least` px, with what it says. */
const smallText = (page, least, within = 'body') =>
  page.evaluate(([least, within]) => {
    const small = [];
    const walker = document.createTreeWalker(document.querySelector(within), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      if (!node.textContent.trim() || !element.offsetParent || element.closest('.visually-hidden, [hidden], details:not([open]) > :not(summary)')) continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (size < least) small.push(`"${node.textContent.trim().slice(0, 24)}" ${size}px`);
    }
    return small;
  }, [least, within]);

/** Pairs of visible elements among `selector` whose boxes overlap. */
const overlaps = (page, selector) =>
  page.evaluate((selector) => {
    const boxes = [...document.querySelectorAll(selector)].filter((e) => e.offsetParent)
      .map((e) => ({ name: e.id || e.className || e.tagName, r: e.getBoundingClientRect() }));
    const hits = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i].r, boxes[j].r];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) hits.push(`${boxes[i].name} × ${boxes[j].name}`);
      }
    }
    return hits;
  }, selector);

/** Text in the legend that runs past the column it sits in (cut off, or under the plot). */
const cutLegend = (page) =>
  page.evaluate(() => {
    const column = document.getElementById('legend').getBoundingClientRect();
    return [...document.querySelectorAll('#legend li span')].filter((e) => e.offsetParent)
      .filter((e) => e.getBoundingClientRect().right > column.right + 1).map((e) => e.textContent);
  });

const inside = (box, viewport) => box && box.top >= 0 && box.left >= 0 && box.bottom <= viewport.height + 0.5 && box.right <= viewport.width + 0.5;

describe('the optimizer lab on a laptop', () => {
  for (const viewport of [LAPTOP, WIDE]) {
    test(`at ${viewport.width}×${viewport.height}: surface, chart, legend and the preset's sliders on the first screen`, async () => {
      const { page, problems } = await open('', viewport);
      const hash = await presetHash(page, 'Why momentum really works');
      await page.goto(`${session.server.url}/${hash}`);
      await drawn(page);
      const m = await measure(page, ['#surface-view', '#chart-view', '#legend', '#caption', '#play',
        'li[data-optimizer="momentum"] [data-key="lr"] input[type="range"]', 'li[data-optimizer="momentum"] [data-key="momentum"] input[type="range"]']);
      for (const [selector, box] of Object.entries(m.boxes)) assert.ok(inside(box, viewport), `${selector} on the first screen: ${JSON.stringify(box)}`);
      assert.ok(m.boxes['#surface-view'].height >= 0.45 * viewport.height, `a large surface: ${m.boxes['#surface-view'].height}`);
      assert.ok(m.scrollWidth <= m.width && m.scrollHeight <= m.height, 'the page itself never scrolls');
      assert.match(await page.textContent('li[data-optimizer="momentum"] .outcome'), /^converged at step \d+ · f = \S+ · \S+ from \(1, 0\.33\)$/);
      assert.deepEqual(await cutLegend(page), [], 'the legend wraps, never cut');
      await page.screenshot({ path: path.join(artifacts, `optimizer-lab-${viewport.width}x${viewport.height}.png`) });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('a preset keeps its caption when followed, marked modified, and the figure stays put', async () => {
    const { page, problems } = await open('', LAPTOP);
    await page.click('#presets a:text-is("Why momentum really works")');
    await page.waitForFunction(() => document.getElementById('caption').textContent.startsWith('Why momentum really works:'));
    await drawn(page);
    const caption = await page.textContent('#caption .text');
    assert.match(caption, /^Why momentum really works: /);
    assert.equal(await page.isVisible('#back-to-preset'), false);
    const surface = (await measure(page, ['#surface-view'])).boxes['#surface-view'];
    await page.fill('li[data-optimizer="momentum"] [data-key="momentum"] input[type="number"]', '0.5');
    await page.waitForFunction(() => document.getElementById('modified').classList.contains('shown'));
    assert.equal(await page.textContent('#caption .text'), caption, 'the caption stays');
    assert.deepEqual((await measure(page, ['#surface-view'])).boxes['#surface-view'], surface, 'the figure did not move');
    await page.click('#back-to-preset');
    await page.waitForFunction(() => !document.getElementById('modified').classList.contains('shown'));
    assert.equal(await page.inputValue('li[data-optimizer="momentum"] [data-key="momentum"] input[type="number"]'), '0.9');
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('value boxes show their whole number', async () => {
    const { page, problems } = await open('#opt=sgd:lr=0.00488|momentum:lr=0.000123456,momentum=0.987654', LAPTOP);
    const cut = await page.$$eval('#controls input.value', (inputs) => inputs.filter((i) => i.offsetParent && i.scrollWidth > i.clientWidth).map((i) => i.value));
    assert.deepEqual(cut, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('an empty figure says what to do', async () => {
    const { page, problems } = await open('#opt=sgd:lr=0.002', LAPTOP);
    assert.equal(await page.isVisible('#empty'), false);
    await page.uncheck('li[data-optimizer="sgd"] input[type="checkbox"]');
    await drawn(page);
    assert.equal(await page.isVisible('#empty'), true);
    assert.match(await page.textContent('#empty'), /Tick one/);
    assert.equal(await page.$$eval('#legend li', (items) => items.length), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('sliders a student can aim', () => {
  const lr = 'li[data-optimizer="sgd"] [data-key="lr"]';
  const value = (page) => page.evaluate(() => window.gradscape.state.optimizers.find((o) => o.id === 'sgd').params.lr);

  test('Shift+drag is ten times finer than a drag, and Shift+arrows finer than arrows', async () => {
    const { page, problems } = await open('#opt=sgd:lr=0.003', LAPTOP);
    const box = await page.locator(`${lr} input[type="range"]`).boundingBox();
    assert.ok(box.width >= 250, `a slider with room: ${box.width}px`);
    const thumb = async () => {
      const position = await page.$eval(`${lr} input[type="range"]`, (s) => Number(s.value) / Number(s.max));
      return box.x + 10 + position * (box.width - 20);
    };
    const drag = async (dx, shift) => {
      const x = await thumb();
      const before = await value(page);
      if (shift) await page.keyboard.down('Shift');
      await page.mouse.move(x, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(x + dx, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      if (shift) await page.keyboard.up('Shift');
      return Math.log10((await value(page)) / before);
    };
    const coarse = await drag(20, false);
    const fine = await drag(20, true);
    assert.ok(coarse > 0.2, `a plain drag moves η by ${coarse} decades`);
    assert.ok(fine > 0 && fine < coarse / 5, `Shift+drag moves η by ${fine} decades, against ${coarse}`);
    await page.focus(`${lr} input[type="range"]`);
    const step = async (key) => {
      const before = await value(page);
      await page.keyboard.press(key);
      return Math.log10((await value(page)) / before);
    };
    const arrow = await step('ArrowRight');
    const fineArrow = await step('Shift+ArrowRight');
    assert.ok(arrow > 0 && fineArrow > 0 && fineArrow < arrow / 5, `arrows ${arrow}, Shift+arrows ${fineArrow}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the zoom spans a decade around η, and a drag across it stays inside', async () => {
    const { page, problems } = await open('#opt=sgd:lr=0.003', LAPTOP);
    await page.click(`${lr} .zoom`);
    assert.equal(await page.getAttribute(`${lr} .zoom`, 'aria-pressed'), 'true');
    const box = await page.locator(`${lr} input[type="range"]`).boundingBox();
    await page.mouse.click(box.x + 2, box.y + box.height / 2);
    const low = await value(page);
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    const high = await value(page);
    assert.ok(Math.abs(Math.log10(high / low) - 1) < 0.05, `a decade: ${low} to ${high}`);
    assert.ok(low >= 0.0009 && high <= 0.011, `around 0.003: ${low} to ${high}`);
    await page.click(`${lr} .zoom`);
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    assert.ok((await value(page)) > 5, 'unzoomed, the slider spans every rate again');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('keys go where a presenter expects', () => {
  const frame = (page) => page.evaluate(() => Number(document.getElementById('frame').textContent.match(/\d+/)[0]));

  test('after a preset, space plays the race and the page does not scroll', async () => {
    const { page, problems } = await open('', LAPTOP);
    await page.click('#presets a:text-is("Saddle point race")');
    await drawn(page);
    await page.keyboard.press(' '); // a race preset plays on its own: space pauses it
    const paused = await frame(page);
    await page.waitForTimeout(200);
    assert.equal(await frame(page), paused, 'space paused the race');
    await page.keyboard.press(' ');
    await page.waitForTimeout(300);
    assert.ok((await frame(page)) > paused, 'space played it again');
    const scrolled = await page.evaluate(() => [scrollY, document.getElementById('controls').scrollTop]);
    assert.deepEqual(scrolled, [0, 0]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a slider keeps its arrows; Esc hands them back to the race', async () => {
    const { page, problems } = await open('#opt=sgd:lr=0.003', LAPTOP);
    await page.click('li[data-optimizer="sgd"] [data-key="lr"] input[type="range"]');
    const before = await page.evaluate(() => window.gradscape.state.optimizers[0].params.lr);
    await page.keyboard.press('ArrowRight');
    assert.notEqual(await page.evaluate(() => window.gradscape.state.optimizers[0].params.lr), before, '→ moved the focused slider');
    assert.equal(await page.evaluate(() => window.gradscape.state.mode), 'path');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('foreground')), true);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => window.gradscape.state.mode), 'race');
    assert.equal(await frame(page), 1);
    await page.keyboard.press('?');
    assert.equal(await page.isVisible('#keys dl'), true, '? lists the keys');
    assert.match(await page.textContent('#keys dl'), /Esc/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('the optimizer lab on a phone', () => {
  test('the figure starts in the top half, with its player, and every target fits a finger', async () => {
    const { page, problems } = await open('', PHONE, TOUCH);
    const hash = await presetHash(page, 'Why momentum really works');
    await page.goto(`${session.server.url}/${hash}`);
    await drawn(page);
    const m = await measure(page, ['#surface-view', '#play', '#caption']);
    assert.ok(m.boxes['#caption'], 'the preset is captioned');
    assert.ok(m.boxes['#surface-view'].top < PHONE.height / 2, `the surface starts at ${m.boxes['#surface-view'].top}`);
    assert.ok(m.boxes['#play'].bottom < m.boxes['#surface-view'].top, 'play sits right above the figure');
    assert.ok(m.scrollWidth <= m.width, `no sideways scrolling: ${m.scrollWidth}`);
    assert.deepEqual(await smallTargets(page, 24), []);
    assert.deepEqual(await cutLegend(page), [], 'the legend wraps, never cut');
    await page.screenshot({ path: path.join(artifacts, 'optimizer-lab-375x667.png') });
    await page.screenshot({ path: path.join(artifacts, 'optimizer-lab-375x667-full.png'), fullPage: true });
    // A tap moves the start and leaves no focus ring on the figure.
    const box = await page.locator('#surface-view .foreground').boundingBox();
    await page.tap('#surface-view .foreground', { position: { x: box.width / 2, y: box.height / 2 } });
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('slide embeds', () => {
  for (const viewport of [SLIDE, BIG_SLIDE]) {
    test(`at ${viewport.width}×${viewport.height}: lecture-hall type, nothing overlapping, no scrolling`, async () => {
      const { page, problems } = await open('embed.html#opt=sgd:lr=0.002|momentum:lr=0.002|nesterov:lr=0.002|adam:lr=0.03&controls=lr,momentum,play,chart', viewport);
      const m = await measure(page, ['#surface-view', '#legend', '#controls', '.open-full']);
      assert.ok(m.scrollWidth <= m.width && m.scrollHeight <= m.height, 'no scrollbars');
      const controls = await page.$eval('#controls', (c) => [c.scrollHeight, c.clientHeight]);
      assert.ok(controls[0] <= controls[1] + 1, `the controls fit without scrolling: ${controls}`);
      assert.deepEqual(await smallText(page, 16), [], 'every text ≥ 16 px');
      assert.deepEqual(await smallText(page, 20, '#legend'), [], 'the legend ≥ 20 px');
      assert.deepEqual(await overlaps(page, '.figure-bar > *, .open-full, #surface-view, #legend, #chart-view'), []);
      const text = await page.textContent('#legend');
      assert.ok(!/\w-\n\w/.test(text));
      // No name breaks inside a word: each label's words are whole on their line.
      const broken = await page.$$eval('#controls .name, #legend .label', (labels) => labels.filter((l) => l.offsetParent).filter((l) => {
        const range = document.createRange();
        range.selectNodeContents(l);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return lines.size > 1 && !/\s/.test(l.textContent.trim());
      }).map((l) => l.textContent));
      assert.deepEqual(broken, []);
      await page.screenshot({ path: path.join(artifacts, `embed-${viewport.width}x${viewport.height}.png`) });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('in a slide, the first click only takes focus; r restores the picture as linked', async () => {
    const hash = '#surface=banana&start=-1,1&opt=sgd:lr=0.002&controls=lr,play';
    const { page, problems } = await openLab(session.browser, `${session.server.url}/embed.html${hash}`, { viewport: SLIDE });
    // The deck: a page with a field that has focus, and the demo in an iframe.
    await page.setContent(`<link rel="icon" href="${session.server.url}/icon.svg"><input id="deck" aria-label="deck"><iframe src="${session.server.url}/embed.html${hash}" width="960" height="480"></iframe>`);
    await page.focus('#deck');
    const frame = page.frameLocator('iframe');
    const demo = page.frames()[1];
    await demo.waitForFunction(() => document.getElementById('lab')?.getAttribute('aria-busy') === 'false');
    const start = () => demo.evaluate(() => window.gradscape.state.start.join(','));
    const box = await frame.locator('#surface-view .foreground').boundingBox();
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.7);
    assert.equal(await start(), '-1,1', 'the first click did not move the start');
    await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.7);
    assert.notEqual(await start(), '-1,1', 'the second click did');
    await page.keyboard.press('r');
    await demo.waitForFunction(() => window.gradscape.state.start.join(',') === '-1,1');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('the network lab', () => {
  for (const viewport of [LAPTOP, WIDE]) {
    test(`at ${viewport.width}×${viewport.height}: map, network and curves on the first screen; a clicked point's backprop beside the map`, async () => {
      const { page, problems } = await open('networks.html', viewport);
      const m = await measure(page, ['#map-view', '#curves-view', '#network-view', '#play', '#status']);
      for (const [selector, box] of Object.entries(m.boxes)) assert.ok(inside(box, viewport), `${selector} on the first screen: ${JSON.stringify(box)}`);
      assert.ok(m.scrollWidth <= m.width && m.scrollHeight <= m.height, 'the page itself never scrolls');
      await page.click('#step-epoch');
      await page.waitForFunction(() => window.gradscape.lab.status().epoch === 1);
      const map = (await measure(page, ['#map-view'])).boxes['#map-view'];
      assert.deepEqual(map, m.boxes['#map-view'], 'the map stays put when the status fills in');
      await page.screenshot({ path: path.join(artifacts, `network-lab-${viewport.width}x${viewport.height}.png`) });
      const point = await page.evaluate(() => window.gradscape.lab.pixel_of_point(0));
      const ratio = await page.evaluate(() => devicePixelRatio);
      await page.mouse.click(map.left + point[0] / ratio, map.top + point[1] / ratio);
      const inspector = (await measure(page, ['#inspector'])).boxes['#inspector'];
      assert.ok(inside(inspector, viewport), `the inspector is in view: ${JSON.stringify(inspector)}`);
      assert.ok(inspector.left > map.right - 1, 'beside the map');
      await page.screenshot({ path: path.join(artifacts, `network-lab-${viewport.width}x${viewport.height}-backprop.png`) });
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('on a phone: the map in the top half, targets for fingers, no sideways scrolling', async () => {
    const { page, problems } = await open('networks.html', PHONE, TOUCH);
    const m = await measure(page, ['#map-view', '#play']);
    assert.ok(m.boxes['#map-view'].top < PHONE.height / 2, `the map starts at ${m.boxes['#map-view'].top}`);
    assert.ok(m.scrollWidth <= m.width, `no sideways scrolling: ${m.scrollWidth}`);
    assert.deepEqual(await smallTargets(page, 24), []);
    await page.screenshot({ path: path.join(artifacts, 'network-lab-375x667.png') });
    await page.screenshot({ path: path.join(artifacts, 'network-lab-375x667-full.png'), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('in a 960×540 slide: lecture-hall type, nothing overlapping', async () => {
    const { page, problems } = await open('network-embed.html#controls=train,lr,chart', SLIDE);
    const m = await measure(page, ['#map-view']);
    assert.ok(m.scrollWidth <= m.width && m.scrollHeight <= m.height, 'no scrollbars');
    assert.deepEqual(await smallText(page, 16), [], 'every text ≥ 16 px');
    assert.deepEqual(await overlaps(page, '.figure-bar > *, .open-full, .status-row, #map-view, #curves-view'), []);
    await page.screenshot({ path: path.join(artifacts, 'network-embed-960x540.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
