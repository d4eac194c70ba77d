import { serve, launch, openLab } from './support.mjs';
const server = await serve(); const browser = await launch();
const shots = [
  ['laptop', 1366, 768, '/#surface=himmelblau&view=-2,6,-3,5'],
  ['phone', 375, 667, '/#surface=himmelblau&view=-2,6,-3,5'],
  ['embed', 960, 540, '/embed.html#surface=himmelblau&view=-2,6,-3,5&controls=lr,play'],
  ['turned', 1366, 768, '/#surface=saddle&start=-1.8,0.0001&steps=120&camera=-35,35&mode=race&opt=sgd:lr=0.03|momentum:lr=0.03|adam:lr=0.03&speed=20'],
  ['turnedphone', 375, 667, '/#camera=-35,35'],
  ['turnedembed', 960, 540, '/embed.html#camera=-35,35&controls=3d,play,lr'],
  ['formula', 1366, 768, '/#surface=formula:sin(x)*cos(y)%2B0.1*x%5E2&view=-4,4,-4,4'],
];
for (const [name, w, h, url] of shots.filter(([n]) => !process.argv[2] || process.argv.slice(2).includes(n))) {
  const { page, problems } = await openLab(browser, `${server.url}${url}`, { viewport: { width: w, height: h } });
  await page.screenshot({ path: `/tmp/shot-${name}.png` });
  console.log(name, problems);
  await page.close();
}
await browser.close(); await server.close();
