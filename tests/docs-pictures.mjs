// Remakes the README's pictures, docs/optimizer-lab.png and docs/network-lab.png, from
// the page as built in www/ (`cargo xtask build`), at a laptop's 1366×768:
//   node tests/docs-pictures.mjs

import path from 'node:path';
import { launch, openLab, repoRoot, serve } from './support.mjs';

const server = await serve();
const browser = await launch();
const viewport = { width: 1366, height: 768 };
const picture = (name) => path.join(repoRoot, 'docs', `${name}.png`);

// The optimizer lab: Distill's banana, as its preset shows it.
{
  const { page, problems } = await openLab(browser, `${server.url}/`, { viewport });
  await page.click('#presets a:text-is("Why momentum really works")');
  await page.waitForFunction(() => document.getElementById('caption').textContent.startsWith('Why momentum'));
  await page.screenshot({ path: picture('optimizer-lab') });
  if (problems.length) throw new Error(problems.join('\n'));
  await page.close();
}

// The network lab: three spirals, trained for 40 epochs, a point's backprop beside the map.
{
  const { page, problems } = await openLab(browser, `${server.url}/networks.html#data=spirals:n=400&hidden=16,16&opt=adam:lr=0.01`, { viewport });
  for (let epoch = 0; epoch < 40; epoch++) await page.click('#step-epoch');
  await page.waitForFunction(() => window.gradscape.lab.status().epoch >= 40);
  await page.screenshot({ path: picture('network-lab') });
  if (problems.length) throw new Error(problems.join('\n'));
  await page.close();
}

await browser.close();
await server.close();
