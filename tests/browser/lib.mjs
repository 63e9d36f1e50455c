// Shared by the browser tests: a demo server on 127.0.0.1, Debian's Chromium through
// playwright-core, keyboard login, and axe-core for WCAG 2.1 A/AA.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import net from 'node:net';
import { freshTotp, serveAs } from '../http/lib.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BIN = resolve(process.env.ELEVLOS_BIN || 'build/elevlos');
export const ART = resolve('tests/artifacts/browser');
/* Every page the journeys reach, one JSON line each ({method, path, status, type}); the Makefile empties
 * it before the suite and zz-routes.test.mjs, run last, compares it with the route table. */
export const VISITED = join(ART, 'visited.jsonl');

/* Records the main frame's navigations of every page of a context: redirects too, so a route
 * that only redirects counts as reached. */
function record(ctx) {
  ctx.on('page', (page) => page.on('response', (res) => {
    const req = res.request();
    if (!req.isNavigationRequest() || req.frame() !== page.mainFrame()) return;
    const path = new URL(res.url()).pathname;
    appendFileSync(VISITED, JSON.stringify({ method: req.method(), path, status: res.status(), type: res.headers()['content-type'] || '' }) + '\n');
  }));
  return ctx;
}
const env = { ...process.env, ELEVLOS_ARGON2_MEMLIMIT: '1048576', ELEVLOS_ARGON2_OPSLIMIT: '1' };

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

/* A demo database served on a free port, and a browser. Returns {base, logins, browser, stop}. */
export async function start() {
  const dir = mkdtempSync(join(tmpdir(), 'elevlos-browser-'));
  mkdirSync(ART, { recursive: true });
  const db = join(dir, 'demo.db');
  const out = execFileSync(BIN, ['demo', '--db', db], { env }).toString();
  // logins: the first user of each role; users: every demo user by name.
  const logins = {}, users = {};
  for (const m of out.matchAll(/^\s+(\S+)\s+(\S+)\s+\S+\s+password: (\S+)$/gm)) {
    logins[m[2]] ??= { user: m[1], pw: m[3] };
    users[m[1]] = { user: m[1], pw: m[3], role: m[2] };
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A published statistics release of this school year, so the statistics page has figures.
  const now = new Date();
  const y = now.getMonth() >= 7 ? now.getFullYear() : now.getFullYear() - 1;
  const year = `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
  const made = execFileSync(BIN, ['release', 'create', '--db', db, '--year', year], { env }).toString();
  const releaseId = /release (\d+):/.exec(made)[1];
  const analystToken = execFileSync(BIN, ['token', 'create', '--db', db, '--username', 'analytiker'], { env }).toString().trim();
  const server = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--plain-http', ...serveAs(db)],
    { env, stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', () => {});
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const step of ['approve', 'publish']) {
    const r = await fetch(`${base}/api/v1/releases/${releaseId}/${step}`,
      { method: 'POST', headers: { authorization: `Bearer ${analystToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 200, `release ${step}`);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (opts) => record(await newContext(opts));
  async function stop() {
    await browser.close();
    const done = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    assert.equal(await done, 0, 'server exits cleanly on SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return { base, logins, users, browser, stop, db, releaseId };
}

export async function axe(page) {
  // Injected over the DevTools protocol: our CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }));
  return res.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/* The form error is announced, linked from the summary to the field, and on the field itself. */
export async function fieldError(page, name, text) {
  const summary = page.locator('[role=alert]');
  assert.equal(await summary.count(), 1, 'one error summary');
  const link = summary.locator(`a[href="#f-${name}"]`);
  assert.equal(await link.count(), 1, `the summary links to #f-${name}`);
  assert.match(await link.innerText(), text);
  const field = page.locator(`#f-${name}`);
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await field.getAttribute('aria-describedby'), `f-${name}-error`);
  assert.match(await page.locator(`#f-${name}-error`).innerText(), text);
  assert.equal(await page.locator('[aria-invalid=true]').count(), 1, 'only that field is marked');
  assert.deepEqual(await axe(page), [], 'the form with its error has no axe violations');
  await link.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), `f-${name}`, 'the link moves focus to the field');
}

export const LANDING = { veileder: '/caseload', radgiver: '/referrals', leder: '/start', analytiker: '/start', admin: '/start' };

/* Keyboard only: tab to the fields, type, submit with Enter; lands on the role's first page. */
export async function login(page, base, logins, role) {
  await loginUser(page, base, logins[role], role);
}

/* The same for a user {user, pw} of role. */
export async function loginUser(page, base, who, role) {
  const logins = { [role]: who };
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/);
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Tab'); // brand link
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'username');
  await page.keyboard.type(logins[role].user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(logins[role].pw);
  await Promise.all([page.waitForURL(new RegExp(`(${LANDING[role]}|/login/code|/login/enrol)$`)), page.keyboard.press('Enter')]);
  await secondStep(page, base, logins[role].user, LANDING[role]);
}

/* What the authenticator app of each enrolled user knows: {secret, lastStep, recovery}, by
 * server address and username. */
export const mfa = new Map();

/* After the password: the second step, when the role has one, as a user with an authenticator
 * app does it (keyboard only). Enrolment reads the secret the page shows for typing, confirms
 * with a code, keeps the recovery codes and follows the continue link. At /login/code: a fresh
 * authenticator code, else a recovery code, else wait for the next 30-second step (a code is
 * good once). Ends on landing. */
export async function secondStep(page, base, user, landing) {
  const where = new URL(page.url()).pathname;
  const done = new RegExp(`${landing}$`);
  const key = `${base}|${user}`;
  if (where === '/login/enrol') {
    const secret = await page.locator('#mfa-secret').getAttribute('data-secret');
    assert.match(secret, /^[A-Z2-7]{32}$/, 'the enrolment page shows the secret');
    const st = { secret, lastStep: -1, recovery: [] };
    await page.locator('#f-enrol-otp').focus();
    await page.keyboard.type(await freshTotp(st));
    await page.keyboard.press('Enter');
    await page.locator('#recovery-codes').waitFor();
    st.recovery = await page.locator('#recovery-codes code').allInnerTexts();
    assert.equal(st.recovery.length, 10, 'ten recovery codes');
    mfa.set(key, st);
    await page.locator('#mfa-continue').focus();
    await Promise.all([page.waitForURL(done), page.keyboard.press('Enter')]);
  } else if (where === '/login/code') {
    const st = mfa.get(key);
    assert.ok(st, `the test enrolled ${user} before`);
    let otp = await freshTotp(st, { wait: false });
    let field = '#f-code-otp';
    if (!otp && st.recovery.length) {
      otp = st.recovery.shift();
      field = '#f-recovery-otp';
      await page.locator('details.app-details summary').focus();
      await page.keyboard.press('Enter');
    }
    if (!otp) otp = await freshTotp(st);
    await page.locator(field).focus();
    await page.keyboard.type(otp);
    await Promise.all([page.waitForURL(done), page.keyboard.press('Enter')]);
  } else {
    assert.match(where, done, `after the password: ${where}`);
  }
}
