'use strict';
// Journey 1 — the province leader (lanhdao) opens the system: the home page is the
// dashboard; they read the 766 score and the lowest unit, click into that unit, and every
// figure they follow shows the same number on the page it links to.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite, parseVn, firstInt } = require('../lib');

/** The section.card whose heading starts with `title`. */
function card(page, title) {
  return page.locator('section.card', { has: page.locator('h2', { hasText: title }) }).first();
}

/** 766 total and /100 score as the dashboard shows them. */
async function dashboardScore(page) {
  const c = card(page, /^Chỉ số 766$/);
  const total = (await c.locator('p.big a').innerText()).trim();
  const score = (await c.locator('p', { hasText: 'Quy đổi' }).locator('strong').first().innerText()).trim();
  const band = (await c.locator('p', { hasText: 'Xếp loại' }).locator('strong').nth(1).innerText()).trim();
  return { total, score, band };
}

async function figure(page, name) {
  return firstInt(await page.locator(`[data-figure="${name}"]`).innerText());
}

suite('lãnh đạo tỉnh', (env) => {
  test('bảng điều hành: điểm 766, đơn vị thấp nhất và các con số dẫn tới danh sách', async (t) => {
    await env.session(t, { user: 'lanhdao' }, async (s) => {
      const { page } = s;
      // The leader lands on the dashboard.
      assert.equal(new URL(page.url()).pathname, '/', 'after sign-in the leader is on the home page');
      const h1 = await s.text('h1');
      assert.match(h1, /^Bảng điều hành — /, 'the home page of a leader is the dashboard');
      await s.assertClean('dashboard (province)');
      await assert.doesNotReject(page.locator('nav.mainnav a[href="/dieu-hanh"]').first().waitFor(), 'the menu has the dashboard');

      const province = await dashboardScore(page);
      assert.match(province.total, /^\d{1,3}(\.\d{3})*,\d{2}$/, `766 total as a number: ${province.total}`);
      assert.match(province.score, /^\d{1,3},\d{2}$/, `score /100: ${province.score}`);
      assert.ok(parseVn(province.score) >= 0 && parseVn(province.score) <= 100, province.score);
      t.diagnostic(`province 766: ${province.total} points, ${province.score}/100 (${province.band})`);

      // The province's 766 figure links to the indicator page, which shows the same.
      const period = await page.locator('form.filters input[name=ky]').inputValue();
      await s.follow(card(page, /^Chỉ số 766$/).locator('p.big a'));
      assert.equal(new URL(page.url()).pathname, '/chi-so');
      const lead = page.locator('p.lead', { hasText: 'Tổng điểm' });
      assert.equal((await lead.locator('strong').nth(0).innerText()).trim(), province.total, '/chi-so total = dashboard total');
      assert.equal((await lead.locator('strong').nth(1).innerText()).trim(), province.score, '/chi-so score = dashboard score');
      await s.assertClean('/chi-so (province)');
      await page.goBack({ waitUntil: 'load' });

      // The lowest unit: the first row of the first "lowest" table (worst first).
      const lowest = card(page, 'Thấp nhất Chỉ số 766');
      const kind = (await lowest.locator('h2').innerText()).replace(/^Thấp nhất Chỉ số 766:\s*/, '');
      const rows = lowest.locator('tbody tr');
      const n = await rows.count();
      assert.ok(n > 0, 'the lowest-units table has rows');
      const scores = [];
      for (let i = 0; i < n; i++) scores.push(parseVn(await rows.nth(i).locator('td').nth(2).innerText()));
      for (let i = 1; i < n; i++) assert.ok(scores[i - 1] <= scores[i], `lowest first: ${scores.join(' ≤ ')}`);
      const first = rows.first();
      const unitLink = first.locator('td').nth(1).locator('a');
      assert.equal(await unitLink.count(), 1, 'the lowest unit links to its dashboard');
      const unitName = (await unitLink.innerText()).trim();
      const unitRank = firstInt(await first.locator('td').nth(0).innerText());
      const unitScore = (await first.locator('td').nth(2).innerText()).trim();
      t.diagnostic(`lowest ${kind}: ${unitName}, rank ${unitRank}, ${unitScore}/100`);

      await s.follow(unitLink);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/dieu-hanh');
      assert.equal(url.searchParams.get('ky'), period, 'the same period');
      assert.equal(await s.text('h1'), `Bảng điều hành — ${unitName}`);
      await s.assertClean(`dashboard of ${unitName}`);
      const unit = await dashboardScore(page);
      assert.equal(unit.score, unitScore, 'the unit dashboard shows the score of the lowest-units table');
      // Its position among units of its kind is the rank shown on the province's table.
      const position = card(page, '(vị trí của đơn vị)');
      assert.equal(firstInt(await position.locator('tbody tr').first().locator('td').first().innerText()), unitRank);
      const unitDashboard = page.url();

      // 766 → /chi-so of the unit.
      await s.follow(card(page, /^Chỉ số 766$/).locator('p.big a'));
      assert.equal(new URL(page.url()).pathname, '/chi-so');
      const ulead = page.locator('p.lead', { hasText: 'Tổng điểm' });
      assert.equal((await ulead.locator('strong').nth(0).innerText()).trim(), unit.total, `${unitName}: /chi-so total`);
      assert.equal((await ulead.locator('strong').nth(1).innerText()).trim(), unit.score, `${unitName}: /chi-so score`);
      await s.assertClean(`/chi-so of ${unitName}`);

      // Tasks assigned and overdue → the task list with the same filter shows as many.
      for (const [name, label] of [['tasks-assigned', 'assigned'], ['tasks-overdue', 'overdue']]) {
        await s.goto(unitDashboard.replace(env.baseURL, ''));
        const shown = await figure(page, name);
        await s.follow(`[data-figure="${name}"]`);
        assert.equal(new URL(page.url()).pathname, '/nhiem-vu');
        const total = firstInt(await page.locator('main p.muted', { hasText: 'nhiệm vụ.' }).first().innerText());
        assert.equal(total, shown, `${unitName}: tasks ${label} on the dashboard = the list's total`);
        if (name === 'tasks-assigned') {
          const stat = firstInt(await page.locator('.stats .stat', { hasText: 'nhiệm vụ được giao' }).locator('.num').innerText());
          assert.equal(stat, shown, 'the list\'s own counter agrees');
        }
        t.diagnostic(`${unitName}: ${label} tasks ${shown}`);
        await s.assertClean(`task list (${label}) of ${unitName}`);
      }

      // Overdue dossiers, tasks, feedback → the monthly overdue list's total row.
      await s.goto(unitDashboard.replace(env.baseURL, ''));
      const od = {
        dossiers: await figure(page, 'overdue-dossiers'),
        tasks: await figure(page, 'overdue-tasks'),
        feedback: await figure(page, 'overdue-feedback'),
      };
      await s.follow('[data-figure="overdue-dossiers"]');
      assert.equal(new URL(page.url()).pathname, '/bao-cao/qua-han');
      const totalRow = page.locator('section.card').first().locator('table.grid tbody tr').last();
      const cells = totalRow.locator('th');
      assert.deepEqual(
        {
          dossiers: firstInt(await cells.nth(1).innerText()),
          tasks: firstInt(await cells.nth(2).innerText()),
          feedback: firstInt(await cells.nth(3).innerText()),
        },
        od,
        `${unitName}: overdue figures = the overdue list's totals`,
      );
      t.diagnostic(`${unitName}: overdue ${JSON.stringify(od)}`);
      await s.assertClean(`overdue list of ${unitName}`);

      // Monthly reports still in draft → the report list filtered the same way.
      await s.goto(unitDashboard.replace(env.baseURL, ''));
      const drafts = await figure(page, 'reports-draft');
      await s.follow('[data-figure="reports-draft"]');
      assert.equal(new URL(page.url()).pathname, '/bao-cao');
      const heading = await s.text('h2:has-text("Danh sách báo cáo")');
      assert.equal(firstInt(heading), drafts, `${unitName}: draft reports = the report list's count`);
      await s.assertClean(`report list of ${unitName}`);
    });
  });
});
