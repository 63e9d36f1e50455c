// The registration record in a real browser: a NAV counsellor registers a student with
// consent, opens a case, adds a contact, a decision and a school measure, and finds the
// student on the caseload; a school counsellor refers a student, the NAV counsellor accepts,
// and the school counsellor sees the referral accepted. Every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, axe, login, fieldError, ART } from './lib.mjs';

let env;

before(async () => {
  env = await start();
});

after(async () => {
  await env?.stop();
});

function day(offset) {
  const d = new Date(Date.now() + offset * 86400000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function noViolations(page, what) {
  assert.deepEqual(await axe(page), [], `${what} has no axe violations`);
}

test('a counsellor registers a student and follows up a case', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await login(page, env.base, env.logins, 'veileder');
  await page.getByRole('link', { name: 'Registrer elev' }).click();
  await noViolations(page, 'the registration form');
  await page.fill('#f-consent_on', day(-3));
  await page.selectOption('#f-consent_by', 'ELEV');
  await page.fill('#f-student_name', 'Kari Testesen');
  await page.fill('#f-fnr', '13097248023'); // a wrong check digit
  await page.fill('#f-birth_year', '2006');
  await page.selectOption('#f-school', 'S-JESSHEIM');
  await page.selectOption('#f-level', 'VG2');
  await page.selectOption('#f-living', 'HYBEL');
  await page.getByRole('button', { name: 'Registrer' }).click();
  await fieldError(page, 'fnr', /\S/);
  assert.equal(await page.inputValue('#f-student_name'), 'Kari Testesen', 'what was typed is kept');
  await page.fill('#f-fnr', '13097248022');
  await Promise.all([page.waitForURL(/\/students\/E-[A-Z2-9]{6}\?ok=/), page.getByRole('button', { name: 'Registrer' }).click()]);
  assert.match(await page.locator('[role=status]').innerText(), /registrert/);
  assert.equal(await page.locator('h1').innerText(), 'Kari Testesen');
  const pseudonym = /\/students\/(E-[A-Z2-9]{6})/.exec(page.url())[1];
  await noViolations(page, 'the student page');
  await page.screenshot({ path: join(ART, 'student.png'), fullPage: true });
  // The access report the counsellor can print for the student: her registration is in it.
  await Promise.all([page.waitForURL(/\/access$/), page.getByRole('link', { name: 'Innsynslogg: hvem har sett denne eleven' }).click()]);
  assert.equal(await page.locator('h1').innerText(), 'Innsynslogg for Kari Testesen');
  assert.match(await page.locator('table').innerText(), /Registrert|Åpnet/);
  await noViolations(page, 'the access report');
  await page.screenshot({ path: join(ART, 'student-access.png'), fullPage: true });
  await page.goBack();

  // Open a case.
  await page.locator('summary', { hasText: 'Opprett sak' }).click();
  await page.selectOption('#f-case-referral_source', 'RADGIVER');
  await page.fill('#f-case-referred_on', day(-2));
  await page.fill('#f-case-opened_on', day(-1));
  await page.selectOption('#f-case-main_reason', 'OKONOMI');
  await page.check('#f-case-reasons-BOSITUASJON');
  await Promise.all([page.waitForURL(/\/cases\/\d+\?ok=case.opened/), page.getByRole('button', { name: 'Opprett sak' }).click()]);
  await noViolations(page, 'the case page');

  // A contact, a decision and a school measure.
  // First dated tomorrow: refused, the contact form shown again open with its date marked and
  // linked from the summary, what was typed kept; then saved with today's date.
  await page.locator('summary', { hasText: 'Registrer kontakt' }).click();
  await page.fill('#f-contact-on_date', day(1));
  await page.selectOption('#f-contact-contact_kind', 'SAMTALE');
  await page.fill('#f-contact-minutes', '45');
  await page.check('#f-contact-followups-OKONOMISK_RADGIVNING');
  await page.fill('#f-contact-note', 'Gikk gjennom budsjett for hybelen.');
  await page.getByRole('button', { name: 'Lagre kontakt' }).click();
  await page.waitForLoadState();
  await fieldError(page, 'contact-on_date', /frem i tid/);
  assert.equal(await page.inputValue('#f-contact-note'), 'Gikk gjennom budsjett for hybelen.', 'the note is kept');
  assert.equal(await page.isChecked('#f-contact-followups-OKONOMISK_RADGIVNING'), true, 'the follow-up is kept');
  await page.fill('#f-contact-on_date', day(0));
  await Promise.all([page.waitForURL(/ok=contact.added/), page.getByRole('button', { name: 'Lagre kontakt' }).click()]);
  assert.match(await page.locator('.app-note').first().innerText(), /budsjett for hybelen/);

  await page.locator('summary', { hasText: 'Registrer vedtak' }).click();
  await page.selectOption('#f-decision-decision', 'SOSTJL_18');
  await page.selectOption('#f-decision-granted', '1');
  await page.selectOption('#f-decision-duration', 'KORTTID');
  await Promise.all([page.waitForURL(/ok=decision.added/),
    page.locator('form[action$="/decisions"] button[type=submit]').click()]);

  await page.locator('summary', { hasText: 'Registrer skolens tiltak' }).click();
  const school = page.locator('form[action$="/measures"]').nth(1);
  await school.locator('select[name=measure]').selectOption('TILRETTELAGT');
  await Promise.all([page.waitForURL(/ok=measure.added/), school.locator('button[type=submit]').click()]);
  const measures = await page.locator('table').nth(2).innerText();
  assert.match(measures, /Tilpasset opplæring/);
  await page.screenshot({ path: join(ART, 'case.png'), fullPage: true });

  // The caseload shows the student, seen today.
  await page.getByRole('link', { name: 'Mine elever' }).click();
  const row = page.locator('tr', { hasText: pseudonym });
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /Kari Testesen/);
  assert.match(await row.innerText(), new RegExp(day(0)));
  await noViolations(page, 'the caseload');
  await page.screenshot({ path: join(ART, 'caseload.png') });

  // Search finds her by part of the name, any case.
  await page.fill('#f-q', 'testesen');
  await Promise.all([page.waitForURL(/\/search$/), page.keyboard.press('Enter')]);
  assert.doesNotMatch(page.url(), /testesen/i, 'the name searched for is not in the URL');
  assert.equal(await page.locator('.app-hits a', { hasText: 'Kari Testesen' }).count(), 1);
  await noViolations(page, 'the search page');
  await ctx.close();
});

test('a school counsellor refers a student and sees the referral accepted', async () => {
  // On a phone: the school counsellor refers from there.
  const school = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const sp = await school.newPage();
  await login(sp, env.base, env.logins, 'radgiver');
  await sp.getByRole('link', { name: 'Ny henvisning' }).click();
  await noViolations(sp, 'the referral form');
  await sp.fill('#f-student_name', 'Ola Henvist');
  await sp.selectOption('#f-level', 'VG1');
  await sp.selectOption('#f-main_reason', 'FRAVAER');
  await sp.selectOption('#f-consent_by', 'ELEV');
  await sp.screenshot({ path: join(ART, 'referral-form-360px.png'), fullPage: true });
  assert.equal(await sp.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'the form does not scroll sideways');
  await Promise.all([sp.waitForURL(/\/referrals\/\d+\?ok=referral.sent/), sp.getByRole('button', { name: 'Send henvisning' }).click()]);
  const id = /\/referrals\/(\d+)/.exec(sp.url())[1];
  assert.match(await sp.locator('.app-facts').innerText(), /Status\s*Ny/);
  assert.equal(await sp.evaluate(() => document.documentElement.scrollWidth <= 360), true, 'no sideways scrolling');

  // The NAV counsellor sees it first on the caseload and accepts it.
  const nav = await env.browser.newContext();
  const np = await nav.newPage();
  await login(np, env.base, env.logins, 'veileder');
  const link = np.locator('table').first().getByRole('link', { name: 'Ola Henvist' });
  assert.equal(await link.count(), 1, 'the referral is in the inbox');
  await link.click();
  await noViolations(np, 'the referral page');
  await np.screenshot({ path: join(ART, 'referral-veileder.png'), fullPage: true });
  // A consent dated tomorrow is refused: the accept form again, its date marked and linked.
  await np.fill('#f-accept-consent_on', day(1));
  await np.selectOption('#f-accept-consent_by', 'FORESATT');
  await np.getByRole('button', { name: 'Ta imot henvisningen' }).click();
  await np.waitForLoadState();
  await fieldError(np, 'accept-consent_on', /frem i tid/);
  assert.equal(await np.inputValue('#f-accept-consent_by'), 'FORESATT', 'the choice is kept');
  await np.fill('#f-accept-consent_on', day(0));
  await Promise.all([np.waitForURL(/\/cases\/\d+\?ok=referral.accepted/), np.getByRole('button', { name: 'Ta imot henvisningen' }).click()]);
  await nav.close();

  // The school counsellor sees the status; no case content without a sharing consent.
  await sp.goto(`${env.base}/referrals/${id}`);
  assert.match(await sp.locator('.app-facts').innerText(), /Tatt imot/);
  assert.match(await sp.locator('main').innerText(), /ikke samtykket til deling/);
  await sp.goto(`${env.base}/referrals`);
  assert.match(await sp.locator('table').innerText(), /Ola Henvist[\s\S]*Tatt imot/);
  await noViolations(sp, 'the referral list');
  await school.close();
});
