// The counsellor's daily task with the keyboard alone: log in, find the contact form on the
// caseload, fill it in and save, with Tab, Shift+Tab, arrows, Space, Enter and typing. Every
// focusable element shows where focus is; and the pages work with JavaScript turned off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, axe, login, secondStep, ART } from './lib.mjs';

let env;

before(async () => {
  env = await start();
});

after(async () => {
  await env?.stop();
});

const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return { id: e.id, tag: e.tagName.toLowerCase(), type: e.type || '', name: e.name || '', text: e.innerText || '' };
});

/* Tab (or Shift+Tab) until `want` holds for the focused element; fails after `max` presses. */
async function tabTo(page, want, what, max = 80, key = 'Tab') {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (want(await focused(page))) return i + 1;
  }
  assert.fail(`${what} not reached with ${key} in ${max} presses`);
}

test('a counsellor registers a contact with the keyboard alone', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await login(page, env.base, env.logins, 'veileder'); // Tab, typing and Enter only
  // The skip link comes first and moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).tag, 'a');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '#main');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id || document.activeElement.closest('main')?.id), 'main');
  // From main: the search field comes before the tables, the contact form after them.
  await tabTo(page, (f) => f.id === 'f-q', 'the search field', 5);
  const presses = await tabTo(page, (f) => f.id === 'f-case', 'the contact form');
  assert.ok(presses > 1, 'the tables\' links come between search and the contact form');
  // Shift+Tab goes back out of the form, Tab returns.
  await page.keyboard.press('Shift+Tab');
  assert.notEqual((await focused(page)).id, 'f-case');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'f-case');
  await page.keyboard.press('ArrowDown');
  const chosen = await page.evaluate(() => document.activeElement.selectedOptions[0].textContent);
  const pseudonym = /\((E-[A-Z2-9]{6})\)$/.exec(chosen)[1];
  await tabTo(page, (f) => f.id === 'f-on_date', 'the date', 1);
  await tabTo(page, (f) => f.id === 'f-contact_kind', 'the kind of contact', 5); // date: day, month, year
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'f-minutes');
  await page.keyboard.type('20');
  await page.keyboard.press('Tab');
  const box = await focused(page);
  assert.equal(box.type, 'checkbox');
  assert.equal(box.name, 'followups');
  await page.keyboard.press('Space');
  assert.equal(await page.evaluate(() => document.activeElement.checked), true, 'Space ticks the box');
  await tabTo(page, (f) => f.id === 'f-note', 'the note', 30);
  await page.keyboard.type('Ringte tilbake om timeplanen.');
  await page.keyboard.press('Tab');
  const save = await focused(page);
  assert.equal(save.tag, 'button');
  assert.match(save.text, /Lagre kontakt/);
  await page.screenshot({ path: join(ART, 'keyboard-contact.png') });
  await Promise.all([page.waitForURL(/\/caseload\?ok=contact.added/), page.keyboard.press('Enter')]);
  assert.match(await page.locator('[role=status]').innerText(), /\S/);
  const row = page.locator('tr', { hasText: pseudonym });
  assert.match(await row.innerText(), /\t0$|\s0\s*$/, 'the student was seen today');
  assert.deepEqual(await axe(page), [], 'the caseload after saving has no axe violations');
  await ctx.close();
});

/* Tabs through the page and returns the focused elements whose focus is not visible. */
async function invisibleFocus(page, max = 400) {
  const bad = [], kinds = new Set();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      if (e === window.lastFocused) return { same: true }; // a date field's day, month and year
      window.lastFocused = e;
      if (e.dataset.focusSeen) return { wrapped: true };
      e.dataset.focusSeen = '1';
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
      return { what: `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.type ? '[' + e.type + ']' : ''}`,
        tag: e.tagName.toLowerCase(), visible: outline || shadow, path: e.closest('main') ? 'main' : 'chrome' };
    });
    if (!f || f.wrapped) break; // off the page, or round to the first element again
    if (f.same) continue;
    kinds.add(f.what);
    if (!f.visible) bad.push(f.what);
  }
  return { bad, kinds: [...kinds] };
}

test('focus is visible on links, buttons, inputs and selects', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${env.base}/login`);
  let r = await invisibleFocus(page, 10);
  assert.deepEqual(r.bad, [], 'login page');
  await login(page, env.base, env.logins, 'veileder');
  r = await invisibleFocus(page);
  const tags = new Set(r.kinds.map((k) => k.replace(/[#[].*/, '')));
  for (const t of ['a', 'button', 'input', 'select', 'textarea']) assert.ok(tags.has(t), `the caseload has a focusable ${t}`);
  assert.deepEqual(r.bad, [], 'every focused element on the caseload shows an outline or a shadow');
  await page.goto(`${env.base}/students/new`);
  r = await invisibleFocus(page);
  assert.deepEqual(r.bad, [], 'the registration form');
  await ctx.close();
});

test('without JavaScript: log in, register a contact, read the statistics', async () => {
  const ctx = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${env.base}/login`);
  await page.fill('#username', env.logins.veileder.user);
  await page.fill('#password', env.logins.veileder.pw);
  await Promise.all([page.waitForURL(/\/(caseload|login\/code|login\/enrol)$/), page.getByRole('button', { name: 'Logg inn', exact: true }).click()]);
  await secondStep(page, env.base, env.logins.veileder.user, '/caseload');
  await page.selectOption('#f-contact_kind', 'TELEFON');
  await page.fill('#f-minutes', '10');
  await page.fill('#f-note', 'Uten JavaScript.');
  await Promise.all([page.waitForURL(/ok=contact.added/), page.getByRole('button', { name: 'Lagre kontakt' }).click()]);
  assert.match(await page.locator('[role=status]').innerText(), /\S/);
  await Promise.all([page.waitForURL(/\/login$/), page.getByRole('button', { name: 'Logg ut' }).click()]);

  await page.fill('#username', env.logins.analytiker.user);
  await page.fill('#password', env.logins.analytiker.pw);
  await Promise.all([page.waitForURL(/\/(start|login\/code|login\/enrol)$/), page.getByRole('button', { name: 'Logg inn', exact: true }).click()]);
  await secondStep(page, env.base, env.logins.analytiker.user, '/start');
  await page.goto(`${env.base}/statistics?unit=NO`);
  assert.equal(await page.locator('h1').count(), 1);
  assert.equal(await page.locator('svg.app-chart').count(), 5, 'the charts are drawn by the server');
  assert.ok(await page.locator('section.app-figure table').count() >= 5, 'with their tables');
  await page.screenshot({ path: join(ART, 'statistics-no-js.png') });
  await ctx.close();
});
