// Lecture-ready: links that reproduce a picture, hostile links, presets, slide embeds,
// a presenter's keyboard, export, accessibility, and the static build under a strict
// Content-Security-Policy.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import omggif from 'omggif';
import { canvasPixels, drawn, openLab, repoRoot, serve, useBrowser } from './support.mjs';

const FOREGROUND = '#surface-view .foreground';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

const { GifReader } = omggif;
const session = useBrowser();
const { lab } = session;

/** The hash the page would write for its current state, and every path's iterates. */
function snapshot(page) {
  return page.evaluate(async () => {
    const { writeHash } = await import('/js/state.js');
    const { lab, state, catalogue } = window.gradscape;
    return {
      hash: writeHash(state, catalogue),
      paths: state.optimizers.map((o, i) => (o.enabled ? Array.from(lab.iterates(i)) : [])),
    };
  });
}

/** The gallery's presets, each with the link the page writes for it. */
const presets = async (page) =>
  page.evaluate(async () => {
    const { presetState, writeHash } = await import('/js/state.js');
    const { presets: read } = await import('/pkg/optimizers/gradscape.js');
    const { catalogue } = window.gradscape;
    return JSON.parse(read()).map((p) => ({ title: p.title, normal: writeHash(presetState(catalogue, p), catalogue) }));
  });

describe('links', () => {
  test('every preset round-trips through its link, with bit-identical paths', async () => {
    const { page, problems } = await lab();
    const list = await presets(page);
    assert.equal(list.length, 15);
    for (const preset of list) {
      await page.click(`#presets a:text-is("${preset.title}")`);
      // The click navigates to the preset's link; the page takes it up on hashchange.
      await page.waitForFunction((title) => document.getElementById('caption').textContent.startsWith(`${title}:`), preset.title);
      await drawn(page);
      const first = await snapshot(page);
      assert.equal(first.hash, preset.normal, preset.title);
      assert.match(await page.textContent('#caption'), new RegExp(`^${preset.title}:`));
      assert.ok(first.paths.some((p) => p.length > 3), `${preset.title} shows paths`);
      // A fresh page opened on the written link computes exactly the same numbers.
      const { page: reopened, problems: more } = await lab(`#${first.hash}`);
      const second = await snapshot(reopened);
      assert.equal(second.hash, first.hash);
      assert.deepEqual(second.paths, first.paths, `${preset.title}: bit-identical paths`);
      assert.equal(await reopened.isHidden('#notice'), true);
      assert.deepEqual(more, []);
      await reopened.close();
    }
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('changing a control rewrites the link, and the link restores it', async () => {
    const { page, problems } = await lab();
    await page.fill('li[data-optimizer="momentum"] [data-key="momentum"] input[type="number"]', '0.75');
    await page.check('input[name="mode"][value="race"]');
    await page.waitForFunction(() => location.hash.includes('momentum=0.75') && location.hash.includes('mode=race'));
    const hash = await page.evaluate(() => location.hash);
    const { page: reopened } = await lab(hash);
    assert.equal(await reopened.inputValue('li[data-optimizer="momentum"] [data-key="momentum"] input[type="number"]'), '0.75');
    assert.equal(await reopened.isChecked('input[name="mode"][value="race"]'), true);
    assert.equal(await page.inputValue('#link'), `${session.server.url}/index.html${hash}`);
    assert.match(await page.inputValue('#embed-code'), /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#.*" width="960" height="540"/);
    await reopened.close();
    assert.deepEqual(problems, []);
    await page.close();
  });

  const hostile = [
    ['#surface=<script>alert(1)</script>', ['surface']],
    ['#surface=quadratic:lambda1=0', ['surface']],
    ['#steps=1e309&speed=NaN', ['steps', 'speed']],
    ['#start=NaN,NaN&view=1,0,0,1', ['start', 'view']],
    ['#start=1e400,0', ['start']],
    ['#opt=adam:lr=-1|bogus|<img src=x onerror=alert(1)>|sgd:lr=0.01', ['opt']],
    ['#noise=-5&seed=1.5&mode=fast', ['noise', 'seed', 'mode']],
    ['#controls=<b>x</b>&play=yes', ['controls', 'play']],
    ['#%E0%A4%A=1&=&&&surface', ['%E0%A4%A']],
    ['#surface=rosenbrock:b', ['surface']],
    [`#opt=${'sgd:lr=0.001|'.repeat(800)}`, ['opt']],
    [`#x=${'y'.repeat(10_000)}`, ['x']],
    [`#steps=${'9'.repeat(10_000)}`, ['steps']],
  ];
  for (const [hash, keys] of hostile) {
    test(`a hostile link never throws or injects: ${hash.slice(0, 60)}`, async () => {
      const { page, problems } = await lab(hash);
      const dom = await page.evaluate(() => ({
        scripts: document.scripts.length,
        images: document.images.length,
        bold: document.querySelectorAll('main b').length,
        notice: document.getElementById('notice').hidden ? '' : document.getElementById('notice').textContent,
      }));
      assert.equal(dom.scripts, 1);
      assert.equal(dom.images, 0);
      assert.equal(dom.bold, 0);
      for (const key of keys) assert.ok(dom.notice.includes(`${key} (`), `the notice names ${key}: ${dom.notice.slice(0, 200)}`);
      if (keys.length === 0) assert.equal(dom.notice, '');
      assert.ok((await canvasPixels(page, FOREGROUND)).painted > 100, 'the lab still draws');
      assert.deepEqual(problems, [], 'no error, no dialog');
      await page.close();
    });
  }
});

describe('presenting', () => {
  test('the embed fills a 16:9 slide without scrollbars and shows only the chosen controls', async () => {
    const { page, problems } = await lab('embed.html#surface=banana&opt=sgd:lr=0.003|momentum:lr=0.003&controls=lr,momentum', {
      viewport: { width: 960, height: 540 },
    });
    const layout = await page.evaluate(() => ({
      scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
      inner: [innerWidth, innerHeight],
      header: document.querySelector('header') !== null,
      fontSize: parseFloat(getComputedStyle(document.body).fontSize),
      visible: [...document.querySelectorAll('#controls .param')].filter((p) => p.offsetParent).map((p) =>
        `${p.closest('li')?.dataset.optimizer ?? ''} ${p.dataset.key}`),
      surface: document.getElementById('surface-view').getBoundingClientRect().height,
    }));
    assert.ok(layout.scroll[0] <= layout.inner[0] && layout.scroll[1] <= layout.inner[1], `no scrollbars: ${layout.scroll}`);
    assert.equal(layout.header, false);
    assert.ok(layout.fontSize >= 17, `large type: ${layout.fontSize}px`);
    assert.deepEqual(layout.visible, ['sgd lr', 'momentum lr', 'momentum momentum']);
    assert.ok(layout.surface > 400, 'the surface fills the slide');
    // The chosen sliders work.
    const before = await canvasPixels(page, FOREGROUND);
    await page.fill('li[data-optimizer="momentum"] [data-key="momentum"] input[type="number"]', '0.5');
    await drawn(page);
    assert.notEqual((await canvasPixels(page, FOREGROUND)).digest, before.digest);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a clicker plays, steps and resets the race, but not while typing', async () => {
    const { page, problems } = await lab();
    const frame = () => page.evaluate(() => Number(document.getElementById('frame').textContent.match(/\d+/)[0]));
    await page.focus('li[data-optimizer="sgd"] [data-key="lr"] input[type="number"]');
    await page.keyboard.press(' ');
    assert.equal(await page.evaluate(() => window.gradscape.state.mode), 'path', 'typing a space is typing');
    await page.focus('#surface-view .foreground');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('PageDown');
    assert.equal(await page.evaluate(() => window.gradscape.state.mode), 'race');
    assert.equal(await frame(), 2);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await frame(), 1);
    await page.keyboard.press(' ');
    await page.waitForTimeout(400);
    await page.keyboard.press(' ');
    const paused = await frame();
    assert.ok(paused > 1, `space played the race: ${paused}`);
    await page.keyboard.press('r');
    assert.equal(await frame(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('a race preset plays on its own, unless the viewer prefers reduced motion', async () => {
    const { page: gallery } = await lab();
    const hash = (await presets(gallery)).find((p) => p.title === 'Saddle point race').normal;
    await gallery.close();
    for (const [motion, moves] of [['no-preference', true], ['reduce', false]]) {
      const { page, problems } = await lab(`#${hash}`, { reducedMotion: motion });
      await page.waitForTimeout(500);
      const frame = await page.evaluate(() => Number(document.getElementById('frame').textContent.match(/\d+/)[0]));
      assert.equal(frame > 0, moves, `${motion}: frame ${frame}`);
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});

describe('export', () => {
  const download = async (page, button) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    return { name: file.suggestedFilename(), body: await readFile(await file.path()) };
  };

  test('PNG, SVG, CSV and JSON of what is on screen', async () => {
    const { page, problems } = await lab('#surface=booth&start=-8,-6&steps=20&opt=sgd:lr=0.02|adam:lr=0.5');
    const png = await download(page, '#export-png');
    assert.equal(png.name, 'gradscape.png');
    assert.deepEqual([...png.body.subarray(1, 4)], [...Buffer.from('PNG')]);
    const width = png.body.readUInt32BE(16);
    const backing = await page.evaluate(() => document.querySelector('#surface-view .background').width);
    assert.equal(width, backing, 'device resolution');
    const svg = (await download(page, '#export-svg')).body.toString();
    assert.match(svg, /^<svg/);
    assert.ok((svg.match(/<polygon/g) ?? []).length > 10 && svg.includes('sgd η=0.02') && svg.includes('adam η=0.5'));
    const csv = (await download(page, '#export-csv')).body.toString().trim().split('\n');
    assert.equal(csv[0], 'optimizer,label,step,x,y,loss');
    assert.equal(csv.length, 1 + 2 * 21);
    assert.equal(csv[1], 'sgd,sgd η=0.02,0,-8,-6,1458');
    const json = JSON.parse((await download(page, '#export-json')).body);
    assert.equal(json.surface, 'booth');
    assert.deepEqual(json.runs.map((r) => r.optimizer.split(':')[0]), ['sgd', 'adam']);
    assert.match(json.runs[1].optimizer, /(:|,)lr=0\.5(,|$)/);
    assert.equal(json.runs[1].points.length, 21);
    assert.deepEqual(json.runs[0].points[0], [-8, -6, 1458]);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('WebM of the race, ten times over: every file holds the race', async () => {
    const { page, problems } = await lab('#surface=booth&start=-8,-6&steps=30&speed=100&opt=sgd:lr=0.02');
    for (let round = 0; round < 10; round += 1) {
      const download = page.waitForEvent('download', { timeout: 15000 });
      await page.click('#export-webm');
      // The page says it is recording (once the recorder's module has loaded, on the first round).
      await page.waitForSelector('#recording', { state: 'visible', timeout: 5000 });
      const file = await download;
      assert.equal(file.suggestedFilename(), 'gradscape-race.webm');
      const body = await readFile(await file.path());
      assert.deepEqual([...body.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3], 'an EBML (WebM) header');
      // The race's frames (about 18 at 60 Hz) and the last one held for a second.
      const frames = webmFrames(body);
      assert.ok(frames >= 12, `round ${round}: ${frames} frames in ${body.length} bytes`);
      // A player reads its length from the header: the race and the hold took about 1.3 s.
      const seconds = await page.evaluate(async (bytes) => {
        const video = document.createElement('video');
        video.src = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'video/webm' }));
        await new Promise((resolve, reject) => {
          video.onloadedmetadata = resolve;
          video.onerror = () => reject(new Error('the video does not load'));
        });
        return video.duration;
      }, [...body]);
      assert.ok(Number.isFinite(seconds) && seconds > 1 && seconds < 10, `duration ${seconds} s`);
      await page.waitForSelector('#recording', { state: 'hidden' });
    }
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('media for any slide deck', () => {
  const RACE = '#surface=booth&start=-8,-6&steps=60&speed=60&opt=sgd:lr=0.02';

  test('without WebCodecs the MP4 button records a WebM, and says so', async () => {
    const { page, problems } = await openLab(session.browser, `${session.server.url}/${RACE}`,
      { viewport: { width: 960, height: 540 } },
      (p) => p.addInitScript(() => delete window.VideoEncoder));
    const download = page.waitForEvent('download', { timeout: 30000 });
    await page.click('#export-mp4');
    await page.waitForFunction(() => /as WebM: this browser cannot make MP4/.test(document.getElementById('recording').textContent), null, { timeout: 5000 });
    const file = await download;
    assert.equal(file.suggestedFilename(), 'gradscape-race.webm');
    const body = await readFile(await file.path());
    assert.ok(webmFrames(body) >= 12, `${webmFrames(body)} frames`);
    await page.waitForSelector('#recording', { state: 'hidden' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the race as a looping GIF: every frame, the palette of the map, the path at the end', async () => {
    const { page, problems } = await lab(RACE, { viewport: { width: 960, height: 540 } });
    const download = page.waitForEvent('download', { timeout: 60000 });
    await page.click('#export-gif');
    const file = await download;
    assert.equal(file.suggestedFilename(), 'gradscape-race.gif');
    const body = await readFile(await file.path());
    const gif = new GifReader(body);
    const { width, height } = await page.evaluate(() => {
      const c = document.querySelector('#surface-view .background');
      return { width: c.width, height: c.height };
    });
    assert.deepEqual([gif.width, gif.height], [width, height], 'the figure at its device size');
    assert.equal(gif.loopCount(), 0, 'loops forever');
    // 61 iterates at 60 per second: one per frame at 50 frames a second at most, then a
    // held last frame.
    const [perFrame, delay] = await page.evaluate(async () => {
      const media = await import('/pkg/media/gradscape.js');
      await media.default();
      const timing = media.gif_timing(60, 50);
      return [timing.iterates_per_frame, timing.delay_cs];
    });
    assert.deepEqual([perFrame, delay], [2, 3], '60 iterates a second at most 50 frames a second: 2 a frame, 3 cs');
    const frames = gif.numFrames();
    assert.equal(frames, 31, 'iterates 0, 2, …, 60');
    for (let i = 0; i + 1 < frames; i += 1) assert.equal(gif.frameInfo(i).delay, delay);
    assert.ok(gif.frameInfo(frames - 1).delay >= 100, 'the finished race stays a second');
    // The last picture, every frame laid over the first: the path's colour is there.
    const pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < frames; i += 1) gif.decodeAndBlitFrameRGBA(i, pixels);
    const sgd = await page.evaluate(() => window.gradscape.lab.styles()[0].colour);
    const hex = (i) => `#${[0, 1, 2].map((k) => pixels[i + k].toString(16).padStart(2, '0')).join('')}`;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) if (hex(i) === sgd.toLowerCase()) coloured += 1;
    assert.ok(coloured > 200, `${coloured} pixels of the path's colour ${sgd}`);
    assert.ok(body.length < 5e6);
    await page.waitForSelector('#recording', { state: 'hidden' });
    assert.deepEqual(problems, []);
    await page.close();
  });

  test('the race as MP4: H.264, moov before mdat, a video a player opens at the race\'s length', async () => {
    const { page, problems } = await lab(RACE, { viewport: { width: 960, height: 540 } });
    const download = page.waitForEvent('download', { timeout: 60000 });
    await page.click('#export-mp4');
    const file = await download;
    assert.equal(file.suggestedFilename(), 'gradscape-race.mp4');
    const body = await readFile(await file.path());
    const boxes = [];
    for (let at = 0; at + 8 <= body.length;) {
      boxes.push(body.toString('latin1', at + 4, at + 8));
      at += body.readUInt32BE(at) || body.length;
    }
    assert.equal(boxes[0], 'ftyp');
    assert.ok(boxes.indexOf('moov') >= 0 && boxes.indexOf('moov') < boxes.indexOf('mdat'), boxes.join(' '));
    const video = await page.evaluate(async (bytes) => {
      const element = document.createElement('video');
      element.muted = true;
      element.src = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'video/mp4' }));
      await new Promise((resolve, reject) => {
        element.onloadeddata = resolve;
        element.onerror = () => reject(new Error(`the video does not load: ${element.error?.message}`));
      });
      return { duration: element.duration, width: element.videoWidth, height: element.videoHeight };
    }, [...body]);
    // 61 iterates at 60 a second, then the last held for a second: about 2 s at 30 fps.
    assert.ok(video.duration > 1.8 && video.duration < 2.3, `duration ${video.duration} s`);
    const canvas = await page.evaluate(() => {
      const c = document.querySelector('#surface-view .background');
      return [c.width & ~1, c.height & ~1];
    });
    assert.deepEqual([video.width, video.height], canvas);
    await page.waitForSelector('#recording', { state: 'hidden' });
    assert.deepEqual(problems, []);
    await page.close();
  });
});

/**
 * How many frames (SimpleBlocks and Blocks) a WebM file holds. EBML elements are an ID,
 * a size and the data, ID and size as variable-length integers; a Segment or Cluster
 * streamed by MediaRecorder has an unknown size, so its children are read in line.
 */
function webmFrames(bytes) {
  const MASTERS = new Set([0x18538067, 0x1f43b675, 0xa0]); // Segment, Cluster, BlockGroup
  const vint = (at, keepMarker) => {
    const length = Math.clz32(bytes[at]) - 23;
    let value = keepMarker ? bytes[at] : bytes[at] & (0xff >> length);
    for (let i = 1; i < length; i += 1) value = value * 256 + bytes[at + i];
    return { value, length, unknown: !keepMarker && value === 2 ** (7 * length) - 1 };
  };
  let frames = 0;
  for (let at = 0; at < bytes.length;) {
    const id = vint(at, true);
    const size = vint(at + id.length, false);
    const data = at + id.length + size.length;
    if (id.value === 0xa3 || id.value === 0xa1) frames += 1;
    at = MASTERS.has(id.value) ? data : data + (size.unknown ? 0 : size.value);
  }
  return frames;
}

describe('accessibility and the static build', () => {
  for (const [name, url] of [['main', ''], ['embed', 'embed.html#controls=lr,momentum,chart,play&mode=race']]) {
    test(`axe finds no serious or critical violation on the ${name} page`, async () => {
      const { page, problems } = await lab(url);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  test('dist/ works under the strict Content-Security-Policy', async (t) => {
    const dist = await serve(path.join(repoRoot, 'dist'), { 'Content-Security-Policy': CSP });
    t.after(() => dist.close());
    const canvases = {
      'index.html': FOREGROUND,
      'embed.html': FOREGROUND,
      'networks.html': '#map-view canvas',
      'network-embed.html': '#map-view canvas',
    };
    for (const [file, canvas] of Object.entries(canvases)) {
      const { page, problems } = await openLab(session.browser, `${dist.url}/${file}`, {}, (p) =>
        p.addInitScript(() => {
          window.violations = [];
          document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        }));
      assert.ok((await canvasPixels(page, canvas)).painted > 100, file);
      assert.deepEqual(await page.evaluate(() => window.violations), []);
      assert.deepEqual(problems, []);
      await page.close();
    }
  });
});
