// Browser test: Debian's Chromium driven by playwright-core. Every role logs in with the
// keyboard-reachable login form, lands on its start page and logs out; the admin creates a
// user through the form. axe-core checks each page for WCAG 2.1 A/AA violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BIN = resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
const ART = resolve('tests/artifacts/browser');
const env = { ...process.env, ELEVLOS_ARGON2_MEMLIMIT: '1048576', ELEVLOS_ARGON2_OPSLIMIT: '1' };
let dir, server, base, browser, logins = {};

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'elevlos-browser-'));
  mkdirSync(ART, { recursive: true });
  const db = join(dir, 'demo.db');
  const out = execFileSync(BIN, ['demo', '--db', db], { env }).toString();
  for (const m of out.matchAll(/^\s+(\S+)\s+(\S+)\s+\S+\s+password: (\S+)$/gm)) logins[m[2]] ??= { user: m[1], pw: m[3] };
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--plain-http'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', () => {});
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (server) {
    const done = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    assert.equal(await done, 0, 'server exits cleanly on SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
});

async function axe(page) {
  // Injected over the DevTools protocol: our CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function login(page, role) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/);
  // Keyboard only: tab to the fields, type, submit with Enter.
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // brand link
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
  await page.keyboard.type(logins[role].user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(logins[role].pw);
  await Promise.all([page.waitForURL(/\/start$/), page.keyboard.press('Enter')]);
}

for (const role of ['veileder', 'radgiver', 'leder', 'analytiker', 'admin']) {
  test(`${role} logs in with the keyboard, sees the start page, logs out`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const csp = [];
    page.on('console', (m) => { if (m.type() === 'error' && !/font/i.test(m.text())) csp.push(m.text()); });
    await page.goto(`${base}/login`);
    assert.deepEqual(await axe(page), [], 'login page has no axe violations');
    await login(page, role);
    assert.equal(await page.locator('h1').innerText(), 'Velkommen');
    assert.match(await page.locator('.app-facts').innerText(), /Din rolle/);
    assert.deepEqual(await axe(page), [], 'start page has no axe violations');
    await page.screenshot({ path: join(ART, `start-${role}.png`), fullPage: true });
    for (const href of ['/units', '/account', ...(role === 'admin' || role === 'leder' ? ['/users'] : [])]) {
      await page.goto(`${base}${href}`);
      assert.equal((await page.locator('h1').count()), 1, `${href} has one heading`);
      assert.deepEqual(await axe(page), [], `${href} has no axe violations`);
      await page.screenshot({ path: join(ART, `${href.slice(1)}-${role}.png`) });
    }
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Logg ut' }).click()]);
    await page.goto(`${base}/start`);
    assert.match(page.url(), /\/login\?next=\/start$/, 'after logout the start page asks for login');
    assert.deepEqual(csp, [], 'no script or style was blocked');
    await ctx.close();
  });
}

test('admin creates a user with the form; errors are shown next to the form', async () => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await login(page, 'admin');
  await page.goto(`${base}/users`);
  await page.locator('summary').click();
  await page.fill('#f-username', 'ny.veileder');
  await page.selectOption('#f-role', 'veileder');
  await page.selectOption('#f-unit', 'P-ALTA');
  await page.fill('#f-password', 'for-kort');
  await page.locator('form.app-form button[type=submit]').click();
  assert.match(await page.locator('[role=alert]').innerText(), /minst 12 tegn/);
  await page.fill('#f-password', 'et langt nok passord');
  await page.locator('form.app-form button[type=submit]').click();
  assert.match(await page.locator('[role=status]').innerText(), /opprettet/);
  assert.equal(await page.locator('a[href="/users/ny.veileder"]').count(), 1);
  await page.screenshot({ path: join(ART, 'users-admin-360px.png'), fullPage: true });
  await ctx.close();
});
