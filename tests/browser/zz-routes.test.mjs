// Runs last (make browser: one file at a time, in name order). Every HTML page of the route
// table must have been reached by some journey's GET with an answer below 400 (a role allowed to
// see it); the journeys' navigations are in tests/artifacts/browser/visited.jsonl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { BIN, VISITED } from './lib.mjs';

// Not pages: machine answers, files, and downloads (CSV, XLSX, PDF) read by the export tests.
const NOT_PAGES = [/^\/api\//, /^\/static\//, /^\/healthz$/, /^\/metrics$/, /^\/statistics\/export$/,
  /^\/students\/\{pseudonym\}\/export$/];

const pattern = (path) => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

test('every HTML page in the route table is visited by a journey', () => {
  const routes = JSON.parse(execFileSync(BIN, ['routes', '--format', 'json']).toString());
  const pages = routes.filter((r) => r.method === 'GET' && !NOT_PAGES.some((re) => re.test(r.path)));
  assert.ok(pages.length >= 20, `the route table lists the pages (${pages.length})`);
  assert.ok(existsSync(VISITED), `${VISITED} is written by the journeys (run make browser)`);
  const seen = readFileSync(VISITED, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((v) => v.method === 'GET' && v.status < 400);
  const html = new Set(seen.filter((v) => v.status >= 300 || /^text\/html/.test(v.type)).map((v) => v.path));
  const unvisited = pages.filter((r) => ![...html].some((p) => pattern(r.path).test(p))).map((r) => r.path);
  assert.deepEqual(unvisited, [], `pages no journey visited: ${unvisited.join(', ')}`);
});
