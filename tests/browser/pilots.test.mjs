// Browser test: a pilot's leader writes and submits an annual report (a part left empty first:
// the error points at it), the steering group's other leader approves it, the analysts of Avdir
// and of Udir both read the same report, one of them gives feedback, and the leader reads it.
// axe-core on every page; screenshots in tests/artifacts/browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, axe, loginUser, fieldError, ART } from './lib.mjs';

let base, browser, users, stop;

before(async () => {
  ({ base, browser, users, stop } = await start());
});

after(async () => {
  await stop?.();
});

const REPORT = '/pilots/P-AKERSHUS/reports/2016';
const PARTS = {
  activities: 'Fast kontortid på skolen og informasjonsmøter for VG1.',
  challenges: 'Samtykke til å dele med skolen.',
  funds: 'Lønn til NAV-veilederen.',
  goal1: 'Tidlig kontakt med elever som står i fare for å slutte.',
  goal2: 'Arbeidstrening i kombinasjon med tilrettelagt opplæring.',
  goal3: 'Faste møter i elevtjenesten.',
  goal4: 'Økonomi og bolig er de vanligste utfordringene.',
};
const FEEDBACK = 'Takk for en grundig rapport. Beskriv neste år hvordan skolens tiltak ble registrert.';

async function as(username, fn) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await loginUser(page, base, users[username], users[username].role);
  try {
    await fn(page);
  } finally {
    await ctx.close();
  }
}

async function settle(page, href) {
  assert.equal(await page.locator('h1').count(), 1, `${href}: one heading`);
  assert.deepEqual(await axe(page), [], `${href}: no axe violations`);
}

test('a leader submits an annual report; both directorates see it; feedback reaches the leader', async () => {
  await as('leder', async (page) => {
    await page.goto(`${base}/pilots/P-AKERSHUS`);
    await settle(page, '/pilots/P-AKERSHUS');
    await Promise.all([page.waitForURL(new RegExp(`${REPORT}$`)),
      page.getByRole('link', { name: 'Årsrapport 2016/17' }).click()]);
    await settle(page, REPORT);
    assert.match(await page.locator('.app-facts').innerText(), /Ikke påbegynt/);
    // Every part but goal 3, then "Send inn": refused, the error on goal 3, nothing typed lost.
    for (const [name, text] of Object.entries(PARTS)) if (name !== 'goal3') await page.fill(`#f-${name}`, text);
    await page.getByRole('button', { name: 'Send inn' }).click();
    await page.waitForLoadState();
    await fieldError(page, 'goal3', /Fyll ut alle delene/);
    assert.equal(await page.inputValue('#f-activities'), PARTS.activities, 'the text sent is shown again');
    await page.fill('#f-goal3', PARTS.goal3);
    await Promise.all([page.waitForURL(/ok=preport\.done_submitted/), page.getByRole('button', { name: 'Send inn' }).click()]);
    assert.match(await page.locator('[role=alert], .aksel-alert').first().innerText(), /sendt inn til styringsgruppen/);
    assert.match(await page.locator('.app-facts').innerText(), /Sendt inn/);
    // The submitter cannot also approve it for the steering group.
    await page.getByRole('button', { name: 'Godkjenn for styringsgruppen' }).click();
    await page.waitForLoadState();
    assert.match(await page.locator('[role=alert]').innerText(), /kan ikke også godkjenne/);
    await settle(page, `${REPORT} (refused)`);
    await page.screenshot({ path: join(ART, 'report-submitted-leder.png'), fullPage: true });
  });
  await as('leder.styring', async (page) => {
    await page.goto(`${base}${REPORT}`);
    await Promise.all([page.waitForURL(/ok=preport\.done_approved/),
      page.getByRole('button', { name: 'Godkjenn for styringsgruppen' }).click()]);
    assert.match(await page.locator('.app-facts').innerText(), /Godkjent av styringsgruppen/);
  });
  // Both directorates' analysts see the same report, with the pilot's statistics.
  const seen = [];
  for (const analyst of ['analytiker', 'analytiker.udir']) {
    await as(analyst, async (page) => {
      await page.goto(`${base}/pilots`);
      await settle(page, '/pilots');
      await page.getByRole('link', { name: 'Pilot Akershus (Jessheim og Skedsmo)' }).click();
      await page.getByRole('link', { name: 'Årsrapport 2016/17' }).click();
      await page.waitForURL(new RegExp(`${REPORT}$`));
      await settle(page, REPORT);
      const main = await page.locator('main').innerText();
      for (const text of Object.values(PARTS)) assert.ok(main.includes(text), `${analyst} reads: ${text}`);
      assert.match(main, /Pilotens statistikk \(skjermet\)/);
      seen.push(main.replace(/Logg ut[\s\S]*?\n/, ''));
      if (analyst === 'analytiker.udir') {
        await page.fill('#f-feedback', FEEDBACK);
        await Promise.all([page.waitForURL(/ok=preport\.done_feedback/),
          page.getByRole('button', { name: 'Gi tilbakemelding' }).click()]);
        await settle(page, `${REPORT} (feedback)`);
        await page.screenshot({ path: join(ART, 'report-feedback-analytiker.png'), fullPage: true });
      }
    });
  }
  assert.equal(seen[0], seen[1], 'Avdir and Udir see the same report');
  await as('leder', async (page) => {
    await page.goto(`${base}${REPORT}`);
    await settle(page, REPORT);
    const feedback = page.locator('.app-feedback');
    assert.match(await feedback.innerText(), /Tilbakemelding fra nasjonal prosjektledelse/);
    assert.ok((await feedback.innerText()).includes(FEEDBACK), 'the leader reads the feedback');
    assert.match(await page.locator('main').innerText(), /analytiker\.udir \(analytiker, Udir\)/);
    // At 360 px the report reads without sideways scrolling.
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false);
    await page.screenshot({ path: join(ART, 'report-feedback-leder-360.png'), fullPage: true });
  });
});
