import { launch, serve, openLab } from './support.mjs';
const [,, name, w, h, url, ...actions] = process.argv;
const server = await serve(); const browser = await launch();
const { page, problems } = await openLab(browser, `${server.url}/${url}`, { viewport: { width: Number(w), height: Number(h) } });
for (const a of actions) {
  if (a.startsWith('wait:')) await page.waitForTimeout(Number(a.slice(5)));
  else if (a.startsWith('eval:')) console.log(await page.evaluate(a.slice(5)));
  else await page.click(a);
}
await page.waitForTimeout(800);
await page.screenshot({ path: `/tmp/${name}.png` });
console.log(problems);
await browser.close(); await server.close();
