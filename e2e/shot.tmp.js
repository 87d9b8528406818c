// usage: node shot.tmp.js USER PATH OUT [width]
const { chromium } = require('playwright-core');
(async () => {
  const [user, path, out, width] = process.argv.slice(2);
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const c = await b.newContext({ viewport: { width: Number(width || 1366), height: 800 }, locale: 'vi-VN' });
  const p = await c.newPage();
  const B = 'http://127.0.0.1:8099';
  if (user !== '-') {
    await p.goto(B + '/dang-nhap');
    await p.fill('input[name=username]', user);
    await p.fill('input[name=password]', 'demo');
    await p.click('form button[type=submit]');
  }
  await p.goto(B + path);
  await p.screenshot({ path: out, fullPage: true });
  await b.close();
})();
