// Shared helpers for the browser tests: a static server for www/, Debian's Chromium
// through playwright-core, and pages that record everything that went wrong.

import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const wwwRoot = path.join(repoRoot, 'www');

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  // WebAssembly.instantiateStreaming refuses any other type.
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
};

/** The file under `root` a URL path names (a directory means its index.html), or null. */
async function resolveFile(root, urlPath) {
  let file = path.resolve(root, '.' + decodeURIComponent(urlPath));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

/**
 * Serves `root` statically on 127.0.0.1 at a free port, with extra response `headers`.
 * Returns `{ url, close }`; `url` is the origin, without a trailing slash.
 */
export async function serve(root = wwwRoot, headers = {}) {
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    const file = await resolveFile(path.resolve(root), pathname).catch(() => null);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const type = MIME_TYPES[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers });
    response.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        // The browser may still hold keep-alive connections open.
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** Launches the system Chromium (never a downloaded one) headless. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // Background services cannot reach the network here and slow start-up while
    // they retry; none of them matter to a test.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `url` in a new page (`options` go to `browser.newContext`; `setup(page)` runs
 * before it loads) and returns
 * `{ page, problems }`: `problems` collects console errors, uncaught page errors,
 * failed requests and HTTP errors, and each test file should assert it stays empty.
 */
export async function openPage(browser, url, options = {}, setup = async () => {}) {
  // A context of its own, as axe needs, closed with its page.
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('close', () => context.close().catch(() => {}));
  await setup(page);
  const problems = [];
  page.on('console', (message) => {
    const source = message.location().url;
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}${source ? ` (${source})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()}: ${response.url()}`);
    }
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * A summary of a canvas's pixels, computed in the page: an FNV-1a digest, how many
 * pixels are not fully transparent, how many distinct colours they show, and how many
 * pixels have each of `colours` (CSS hex strings, matched exactly).
 */
export function canvasPixels(page, selector, colours = []) {
  return page.evaluate(
    ([selector, colours]) => {
      const canvas = document.querySelector(selector);
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const wanted = colours.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
      const counts = colours.map(() => 0);
      let digest = 0x811c9dc5;
      let painted = 0;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4) {
        seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        digest = Math.imul(digest ^ data[i] ^ (data[i + 1] << 8) ^ (data[i + 2] << 16) ^ (data[i + 3] << 24), 16777619) >>> 0;
        if (data[i + 3] > 0) painted++;
        wanted.forEach(([r, g, b], k) => {
          if (data[i] === r && data[i + 1] === g && data[i + 2] === b && data[i + 3] === 255) counts[k]++;
        });
      }
      return { digest, painted, distinct: seen.size, counts, width: canvas.width, height: canvas.height };
    },
    [selector, colours],
  );
}

/** Opens the optimizer lab and waits until it has drawn. */
export async function openLab(browser, url, options = {}, setup = undefined) {
  const opened = await openPage(browser, url, options, setup);
  await opened.page.waitForFunction(
    () => document.getElementById('lab')?.getAttribute('aria-busy') === 'false',
    null,
    { timeout: 15000 },
  );
  await drawn(opened.page);
  return opened;
}

/** Resolves after two animation frames: whatever the last input asked for is drawn. */
export function drawn(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * For a test file: serves www/ and launches Chromium before its tests, closes both
 * after. Returns the session: its `server` and `browser` once started, and
 * `lab(hash, options)`, which opens the lab at `page` + `hash`, at a laptop's size.
 */
export function useBrowser(page = '') {
  const session = {
    server: undefined,
    browser: undefined,
    lab: (hash = '', options = {}) =>
      openLab(session.browser, `${session.server.url}/${page}${hash}`, { viewport: { width: 1280, height: 900 }, ...options }),
  };
  before(async () => {
    session.server = await serve();
    session.browser = await launch();
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}
