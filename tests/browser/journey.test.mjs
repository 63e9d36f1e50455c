// Browser test: Debian's Chromium driven by playwright-core. Every role logs in with the
// keyboard-reachable login form, lands on its start page and logs out; the admin creates a
// user through the form. axe-core checks each page for WCAG 2.1 A/AA violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, axe, login as loginAs, fieldError, ART, LANDING } from './lib.mjs';

let base, browser, logins, stop, releaseId;

before(async () => {
  ({ base, browser, logins, stop, releaseId } = await start());
});

after(async () => {
  await stop?.();
});

const login = (page, role) => loginAs(page, base, logins, role);

for (const role of ['veileder', 'radgiver', 'leder', 'analytiker', 'admin']) {
  test(`${role} logs in with the keyboard, sees the start page, logs out`, async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const csp = [];
    page.on('console', (m) => { if (m.type() === 'error' && !/font/i.test(m.text())) csp.push(m.text()); });
    await page.goto(`${base}/login`);
    assert.deepEqual(await axe(page), [], 'login page has no axe violations');
    await login(page, role);
    assert.deepEqual(await axe(page), [], `${LANDING[role]} has no axe violations`);
    await page.screenshot({ path: join(ART, `landing-${role}.png`), fullPage: true });
    await page.goto(`${base}/start`);
    assert.equal(await page.locator('h1').innerText(), 'Velkommen');
    assert.match(await page.locator('.app-facts').innerText(), /Din rolle/);
    assert.deepEqual(await axe(page), [], 'start page has no axe violations');
    await page.screenshot({ path: join(ART, `start-${role}.png`), fullPage: true });
    // Each role's pages from the route table (zz-routes.test.mjs checks that all are visited).
    const pages = {
      veileder: ['/caseload', '/students/new', '/referrals', '/glass'],
      radgiver: ['/referrals/new'],
      leder: ['/users', `/users/${logins.veileder.user}`, '/statistics', '/evaluation', '/evaluation/schools',
        '/pilots', '/pilots/P-AKERSHUS', '/pilots/P-AKERSHUS/reports/2014', '/glass/log'],
      analytiker: ['/statistics', '/statistics/releases', `/statistics/releases/${releaseId}`, '/evaluation',
        '/evaluation/schools', '/evaluation/schools/990000018', '/pilots', '/pilots/P-AKERSHUS', '/grants',
        '/pilots/P-AKERSHUS/reports/final'],
      admin: ['/users', `/users/${logins.leder.user}`],
    };
    for (const href of ['/units', '/account', ...pages[role]]) {
      await page.goto(`${base}${href}`);
      assert.equal((await page.locator('h1').count()), 1, `${href} has one heading`);
      assert.deepEqual(await axe(page), [], `${href} has no axe violations`);
      // On a phone (360 px) too: no sideways scrolling of the page itself.
      await page.setViewportSize({ width: 360, height: 740 });
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false,
        `${href} does not scroll sideways at 360 px`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: join(ART, `${href.slice(1).replace(/[/.]/g, '-')}-${role}.png`) });
    }
    await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Logg ut' }).click()]);
    await page.goto(`${base}/start`);
    assert.match(page.url(), /\/login\?next=\/start$/, 'after logout the start page asks for login');
    assert.deepEqual(csp, [], 'no script or style was blocked');
    await ctx.close();
  });
}

test('admin creates a user with the form; errors are linked to their fields', async () => {
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
  await fieldError(page, 'password', /minst 12 tegn/);
  // A taken username: the summary links to that field instead.
  await page.fill('#f-username', logins.veileder.user);
  await page.fill('#f-password', 'et langt nok passord');
  await page.locator('form.app-form button[type=submit]').click();
  await fieldError(page, 'username', /\S/);
  await page.fill('#f-username', 'ny.veileder');
  await page.fill('#f-password', 'et langt nok passord');
  await page.locator('form.app-form button[type=submit]').click();
  assert.match(await page.locator('[role=status]').innerText(), /opprettet/);
  assert.equal(await page.locator('a[href="/users/ny.veileder"]').count(), 1);
  await page.screenshot({ path: join(ART, 'users-admin-360px.png'), fullPage: true });
  await ctx.close();
});

test('analyst reads the national figures: charts drawn, each with its table, on a phone too', async () => {
  for (const width of [1280, 360]) {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    await login(page, 'analytiker');
    await page.goto(`${base}/statistics?unit=NO`);
    const charts = page.locator('svg.app-chart');
    assert.equal(await charts.count(), 5, 'the trend and four distributions');
    for (let i = 0; i < 5; i++) {
      const box = await charts.nth(i).boundingBox();
      assert.ok(box && box.width > 200 && box.width <= width && box.height > 50, `chart ${i} is drawn within the page`);
    }
    assert.equal(await page.locator('section.app-figure table').count(), 7, 'every section has its table');
    assert.deepEqual(await axe(page), [], 'statistics page has no axe violations');
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(sideways, false, `no sideways scrolling at ${width} px`);
    await page.screenshot({ path: join(ART, `statistics-NO-${width}.png`), fullPage: width > 400 });
    await ctx.close();
  }
});
