// Browser test of two-factor login: a leader's first login goes to enrolment, where the QR code
// is visible and the page is axe clean; a wrong code is announced and linked to the field; the
// right one shows the recovery codes; the next login asks for a code. An admin enrols of their
// own accord from the account page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, axe, secondStep, ART } from './lib.mjs';
import { totpAt, stepNow } from '../http/lib.mjs';

let env;

before(async () => {
  env = await start();
});

after(async () => {
  await env?.stop();
});

async function password(page, who) {
  await page.goto(`${env.base}/login`);
  await page.fill('#username', who.user);
  await page.fill('#password', who.pw);
  await Promise.all([page.waitForURL(/\/login\/(enrol|code)$|\/start$/), page.keyboard.press('Enter')]);
}

test('enrolment: the QR code is visible, the page is axe clean, errors are announced, recovery codes shown', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const who = env.logins.leder;
  await password(page, who);
  assert.match(page.url(), /\/login\/enrol$/, 'a leader without a second factor is taken to enrolment');
  const qr = page.locator('svg.app-qr');
  assert.ok(await qr.isVisible(), 'the QR code is visible');
  const box = await qr.boundingBox();
  assert.ok(box.width >= 150 && box.height >= 150, `the QR code is large enough to scan (${box.width}×${box.height})`);
  assert.equal(await qr.getAttribute('role'), 'img');
  assert.match(await qr.getAttribute('aria-label'), /QR-kode/);
  const secret = await page.locator('#mfa-secret').getAttribute('data-secret');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal((await page.locator('#mfa-secret').innerText()).replace(/\s/g, ''), secret, 'the secret is shown for typing');
  const field = page.locator('#f-enrol-otp');
  assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
  assert.equal(await field.getAttribute('inputmode'), 'numeric');
  assert.match(await page.locator('label[for="f-enrol-otp"]').innerText(), /Kode fra autentiseringsappen/);
  assert.deepEqual(await axe(page), [], 'the enrolment page has no axe violations');
  await page.screenshot({ path: join(ART, 'mfa-enrol.png'), fullPage: true });

  // Not logged in yet: another page sends back to the login.
  // (Checked in a second tab of the same browser context: same cookies.)
  const other = await ctx.newPage();
  await other.goto(`${env.base}/start`);
  assert.match(other.url(), /\/login\?next=\/start$/);
  await other.close();

  // A wrong code: the summary is announced and links to the field.
  const step = stepNow();
  const good = totpAt(secret, step);
  await field.fill(good === '000000' ? '000001' : '000000');
  await Promise.all([page.waitForResponse((res) => res.request().method() === 'POST'), field.press('Enter')]);
  const summary = page.locator('[role=alert]');
  await summary.waitFor();
  assert.equal(await summary.count(), 1);
  assert.match(await summary.innerText(), /Feil kode/);
  assert.equal(await page.locator('#f-enrol-otp').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#f-enrol-otp').getAttribute('aria-describedby'), /f-enrol-otp-error/);
  assert.deepEqual(await axe(page), [], 'the enrolment page with its error has no axe violations');
  await summary.locator('a[href="#f-enrol-otp"]').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-enrol-otp', 'the link moves focus to the field');
  assert.ok(await page.locator('svg.app-qr').isVisible(), 'the QR code is still there');

  await page.keyboard.type(good);
  await page.keyboard.press('Enter');
  await page.locator('#recovery-codes').waitFor();
  const codes = await page.locator('#recovery-codes code').allInnerTexts();
  assert.equal(codes.length, 10);
  assert.deepEqual(await axe(page), [], 'the recovery codes page has no axe violations');
  await page.screenshot({ path: join(ART, 'mfa-recovery.png'), fullPage: true });
  await Promise.all([page.waitForURL(/\/start$/), page.locator('#mfa-continue').click()]);
  await page.goto(`${env.base}/account`);
  assert.match(await page.locator('#mfa-status').innerText(), /er på.*10/);
  assert.deepEqual(await axe(page), [], 'the account page with the two-factor section has no axe violations');
  await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Logg ut' }).click()]);

  // The next login asks for a code: the second step's page is axe clean too.
  await password(page, who);
  assert.match(page.url(), /\/login\/code$/);
  assert.deepEqual(await axe(page), [], 'the second step has no axe violations');
  await page.screenshot({ path: join(ART, 'mfa-code.png'), fullPage: true });
  await page.locator('#f-code-otp').fill(totpAt(secret, step + 1));
  await Promise.all([page.waitForURL(/\/start$/), page.locator('#f-code-otp').press('Enter')]);
  await ctx.close();
});

test('an admin enrols voluntarily from the account page; the next login asks for a code', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const who = env.logins.admin;
  await password(page, who);
  assert.match(page.url(), /\/start$/, 'an admin without a second factor logs in with the password');
  await page.goto(`${env.base}/account`);
  await Promise.all([page.waitForURL(/\/account\/mfa$/), page.getByRole('link', { name: 'Sett opp tofaktorinnlogging' }).click()]);
  assert.ok(await page.locator('svg.app-qr').isVisible());
  assert.deepEqual(await axe(page), [], '/account/mfa has no axe violations');
  const secret = await page.locator('#mfa-secret').getAttribute('data-secret');
  await page.locator('#f-enrol-otp').fill(totpAt(secret, stepNow()));
  await page.locator('#f-enrol-otp').press('Enter');
  await page.locator('#recovery-codes').waitFor();
  assert.equal(await page.locator('#recovery-codes code').count(), 10);
  await Promise.all([page.waitForURL(/\/account$/), page.locator('#mfa-continue').click()]);
  await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Logg ut' }).click()]);
  await password(page, who);
  assert.match(page.url(), /\/login\/code$/);
  // The shared helper answers it as the other journeys do: it needs to know the secret.
  const { mfa } = await import('./lib.mjs');
  mfa.set(`${env.base}|${who.user}`, { secret, lastStep: stepNow(), recovery: [] });
  await secondStep(page, env.base, who.user, '/start');
  await ctx.close();
});
