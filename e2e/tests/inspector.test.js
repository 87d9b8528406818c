'use strict';
// Journey 8 — the Sở Nội vụ's reform officer (sonoivu) follows inspections: the list,
// the 2025 plan with its rows, a concluded inspection with its findings and the
// remediation tasks, the notice as a paper, the brief of the inspection under way, and
// the year's statistics — each page clean (no console error, nothing wider than the
// screen, Vietnamese dates).

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite } = require('../lib');

suite('Sở Nội vụ — kiểm tra công tác CCHC', (env) => {
  test('kế hoạch, cuộc kiểm tra, hồ sơ chuẩn bị, kết luận và thống kê', async (t) => {
    await env.session(t, { user: 'sonoivu' }, async (s) => {
      const { page } = s;
      await s.follow('nav.mainnav a[href="/kiem-tra"]');
      await s.assertClean('inspection list');
      assert.ok((await s.text('main')).includes('Sở Tư pháp'), 'the demo inspections are listed');

      await s.follow('a[href="/kiem-tra/ke-hoach"]');
      await s.assertClean('plans');
      await s.follow(page.locator('table.grid a[href^="/kiem-tra/ke-hoach/"]').first());
      await s.assertClean('the 2025 plan');
      const rows = page.locator('table.grid tbody tr');
      assert.equal(await rows.count(), 5, 'five units in the plan');
      assert.ok((await rows.nth(4).innerText()).includes('Dự kiến'), 'the last row has not begun');
      assert.equal(await page.locator('details summary', { hasText: 'Triển khai cuộc kiểm tra' }).count(), 1,
        'the row not begun can be carried out');

      // A concluded inspection: its findings, their tasks, the notice.
      await s.follow(rows.nth(1).locator('a[href^="/kiem-tra/"]'));
      await s.assertClean('a concluded inspection');
      const findings = page.locator('table.grid tbody tr');
      assert.equal(await findings.count(), 2);
      assert.ok(await findings.first().locator('a[href^="/nhiem-vu/"]').count(), 'a finding links its remediation task');
      await s.follow('a[href$="/ket-luan"]');
      assert.ok((await s.text('body')).includes('THÔNG BÁO'), 'the notice as a paper');
      await page.goBack();

      // The inspection under way: its brief.
      await s.follow('nav.crumbs a[href="/kiem-tra"]');
      await s.follow(page.locator('table.grid tbody tr', { hasText: 'Trường Vinh' }).locator('a[href^="/kiem-tra/"]').first());
      await s.assertClean('an inspection under way');
      await s.follow('a[href$="/ho-so-chuan-bi"]');
      await s.assertClean('the brief');
      for (const h of ['Chỉ số CCHC (PAR INDEX)', 'Nhiệm vụ được giao', 'Hồ sơ thủ tục hành chính quá hạn', 'Bộ chỉ số 766']) {
        assert.ok((await s.text('main')).includes(h), `the brief has «${h}»`);
      }

      // The statistics of 2025.
      await s.goto('/kiem-tra/thong-ke?nam=2025');
      await s.assertClean('statistics');
      const total = page.locator('table.grid tfoot tr');
      assert.equal((await total.locator('td').first().innerText()).trim(), '4', 'four inspections in 2025');
    });
  });
});
