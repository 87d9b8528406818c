'use strict';
// Journey 2 — an officer of Sở Tư pháp (chuyenvien.stp) opens one of the unit's open
// tasks, reports progress with an evidence file, and finds the report, its reporter and
// the file in the task's history.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite, pdf, firstInt } = require('../lib');

suite('chuyên viên đơn vị', (env) => {
  test('báo cáo tiến độ nhiệm vụ kèm tệp minh chứng', async (t) => {
    await env.session(t, { user: 'chuyenvien.stp' }, async (s) => {
      const { page } = s;
      assert.match(await s.text('h1'), /^Xin chào/, 'an officer lands on the home page of tasks');
      await s.assertClean('officer home');

      // The unit's tasks in progress, as the officer filters them.
      await s.follow('nav.mainnav a[href="/nhiem-vu"]');
      await page.selectOption('form.filters select[name=status]', 'in_progress');
      await s.submit('form.filters button[type=submit]');
      assert.equal(new URL(page.url()).searchParams.get('status'), 'in_progress');
      await s.assertClean('task list (in progress)');
      const links = page.locator('table.grid tbody tr td:first-child a[href^="/nhiem-vu/"]');
      const count = await links.count();
      assert.ok(count > 0, 'Sở Tư pháp has tasks in progress');

      // The first of them on which the unit may report.
      let opened = null;
      for (let i = 0; i < Math.min(count, 10) && !opened; i++) {
        const href = await links.nth(i).getAttribute('href');
        await s.goto(href);
        if (await page.locator('form[action*="/bao-cao"]').count()) opened = href;
      }
      assert.ok(opened, 'one of the first tasks takes a progress report');
      await s.assertClean(`task ${opened}`);
      assert.equal(await s.text('.titlebar .tag'), 'Đang thực hiện');
      const before = firstInt(await page.locator('dl.facts dt:text-is("Tiến độ") + dd').innerText());
      const historyRows = await page.locator('section.card:has(h2:text-is("Quá trình thực hiện")) tbody tr').count();
      const percent = Math.min(95, (before ?? 0) + 25);

      const note = `Đã rà soát 12/15 thủ tục lĩnh vực hộ tịch, dự thảo văn bản đề xuất đơn giản hóa (kiểm thử ${Date.now()}).`;
      const evidence = pdf('Bao cao tien do - So Tu phap');
      const form = page.locator('form[action*="/bao-cao"]');
      await form.locator('input[name=percent]').fill(String(percent));
      await form.locator('textarea[name=note]').fill(note);
      await form.locator('input[type=file][name=files]').setInputFiles({
        name: 'minh-chung-tien-do.pdf',
        mimeType: 'application/pdf',
        buffer: evidence,
      });
      await s.submit(form.locator('button[type=submit]'));

      // Back on the task: a confirmation, the new progress, the report in the history.
      assert.equal(new URL(page.url()).pathname, opened);
      await page.locator('.flash').waitFor();
      assert.equal(firstInt(await page.locator('dl.facts dt:text-is("Tiến độ") + dd').innerText()), percent, 'the task shows the new progress');
      const history = page.locator('section.card:has(h2:text-is("Quá trình thực hiện")) tbody tr');
      assert.equal(await history.count(), historyRows + 1, 'one more row in the history');
      const row = history.filter({ hasText: note });
      assert.equal(await row.count(), 1, 'the report is in the history');
      const cells = row.locator('td');
      assert.equal((await cells.nth(2).innerText()).trim(), 'Sở Tư pháp', 'reported for the unit');
      assert.equal((await cells.nth(3).innerText()).trim(), 'Vũ Đình Khoa', 'by the officer, by name');
      assert.equal((await cells.nth(4).innerText()).trim(), `${percent}%`);
      const file = row.locator('a.file');
      assert.match(await file.innerText(), /minh-chung-tien-do\.pdf/);
      assert.match(await row.innerText(), new RegExp(`\\(${evidence.length} byte\\)`), 'the size as uploaded');
      await s.assertClean(`task ${opened} after the report`);

      // The file opens as it was sent.
      const res = await page.request.get(s.url(await file.getAttribute('href')));
      assert.equal(res.status(), 200);
      assert.ok((await res.body()).equals(evidence), 'the stored evidence is the uploaded file');
    });
  });
});
