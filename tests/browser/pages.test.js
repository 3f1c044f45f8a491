// The demo sites in a real browser: Debian's chromium, driven by playwright-core, against a
// `tribe serve` child process on a free loopback port.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const tribe = process.env.TRIBE_BIN;
const sourceDir = process.env.TRIBE_SOURCE_DIR;
const screenshots = process.env.TRIBE_SCREENSHOT_DIR || tmpdir();
let server;
let base;
let browser;
let work;

function startTribe() {
  work = mkdtempSync(path.join(tmpdir(), 'tribe-browser-'));
  server = spawn(tribe, ['serve', '--sites', path.join(sourceDir, 'sites'), '--db',
    `sqlite:${path.join(work, 'tribe.db')}`, '--listen', '127.0.0.1:0'], { cwd: sourceDir });
  let output = '';
  server.stderr.on('data', (chunk) => { output += chunk; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tribe serve did not start:\n${output}`)), 20000);
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match && output.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    server.on('exit', (code) => reject(new Error(`tribe serve exited with ${code}:\n${output}`)));
  });
}

before(async () => {
  assert.ok(tribe, 'TRIBE_BIN must name the tribe binary');
  base = await startTribe();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a reader walks from the reading club home page to a post and back', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/s/reading-club/`);
  assert.equal(await page.title(), '十点读书会');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.textContent('main h1'), '最新文章');
  await page.screenshot({ path: path.join(screenshots, 'reading-club-home.png') });

  await page.click('text=十一月共读书目');
  await page.waitForURL(`${base}/s/reading-club/posts/november-book`);
  assert.equal(await page.textContent('article h1'), '十一月共读书目:《活着》');
  assert.match(await page.textContent('article'), /福贵为什么还能笑着活下去/);
  assert.equal(await page.title(), '十一月共读书目:《活着》 · 十点读书会');

  await page.click('text=全部文章');
  await page.waitForURL(`${base}/s/reading-club/`);
  assert.equal(await page.locator('ul.posts li').count(), 4);
  await page.close();
});

test('the second tenant has its own language, theme and posts', async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/s/night-runners/`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('main h1'), 'Latest posts');
  const accent = await page.evaluate(() => getComputedStyle(document.querySelector('a.brand')).color);
  assert.equal(accent, 'rgb(29, 95, 138)');
  assert.doesNotMatch(await page.textContent('body'), /十点读书会/);
  await page.screenshot({ path: path.join(screenshots, 'night-runners-home.png') });
  await page.close();
});

test('a missing post shows the site-themed 404 page with the request id', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${base}/s/night-runners/posts/no-such-post`);
  assert.equal(response.status(), 404);
  const requestId = response.headers()['x-request-id'];
  assert.match(requestId, /^[0-9a-f]{16}$/);
  assert.match(await page.textContent('main'), /There is no such post on this site\./);
  assert.match(await page.textContent('main code'), new RegExp(requestId));
  await page.close();
});
