// Renders media/icon.svg to media/icon.png (128×128, transparent corners), the marketplace icon:
// vsce takes no SVG icon. Uses Debian's Chromium through playwright-core, as the browser tests do.
//   node scripts/icon.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(import.meta.dirname, '..');
const svg = readFileSync(join(root, 'media', 'icon.svg'), 'utf8');
const out = join(root, 'media', 'icon.png');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--disable-background-networking'] });
try {
  const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
  await page.setContent(`<!doctype html><html><body style="margin:0">${svg.replace('<svg ', '<svg style="display:block" ')}</body></html>`);
  await page.screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
