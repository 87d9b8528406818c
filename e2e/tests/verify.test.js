'use strict';
// Journey 3 — completion and verification. The head of Sở Tư pháp (lanhdao.stp) reports
// one of the unit's tasks as done; the assigning side verifies it (domain::org:
// `can_verify_tasks` is the Sở Nội vụ, the VP UBND – KSTT, the province leaders and
// administrators, never the unit itself): the Sở Nội vụ (sonoivu) finds it among the
// tasks awaiting verification and accepts it; the status changes on both screens.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite, firstInt } = require('../lib');

const TASK = 'section.card:has(h2:text-is("Quá trình thực hiện")) tbody tr';

suite('hoàn thành và xác nhận nhiệm vụ', (env) => {
  let taskPath = null;
  let result = null;

  test('lãnh đạo Sở Tư pháp báo cáo hoàn thành một nhiệm vụ', async (t) => {
    await env.session(t, { user: 'lanhdao.stp' }, async (s) => {
      const { page } = s;
      await s.goto('/nhiem-vu?status=in_progress');
      const links = page.locator('table.grid tbody tr td:first-child a[href^="/nhiem-vu/"]');
      const count = await links.count();
      assert.ok(count > 0, 'Sở Tư pháp has tasks in progress');
      for (let i = 0; i < Math.min(count, 15) && !taskPath; i++) {
        const href = await links.nth(i).getAttribute('href');
        await s.goto(href);
        if (await page.locator('form[action*="/hoan-thanh"]').count()) taskPath = href;
      }
      assert.ok(taskPath, 'the head may report one of the first tasks as done (the unit leads it)');
      // The unit may not verify its own work.
      assert.equal(await page.locator('form[action*="/xac-nhan"]').count(), 0, 'no verification form for the unit');
      await s.assertClean(`task ${taskPath}`);

      result = `Đã ban hành Quyết định công bố danh mục thủ tục hành chính được chuẩn hóa (kiểm thử ${Date.now()}).`;
      const form = page.locator('form[action*="/hoan-thanh"]');
      await form.locator('textarea[name=note]').fill(result);
      await s.submit(form.locator('button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, taskPath);
      await page.locator('.flash').waitFor();
      assert.equal(await s.text('.titlebar .tag'), 'Chờ xác nhận hoàn thành', 'the task now awaits verification');
      assert.equal(await page.locator('form[action*="/hoan-thanh"]').count(), 0, 'no second completion report');
      assert.equal(await page.locator(TASK).filter({ hasText: result }).count(), 1, 'the completion report is in the history');
      await s.assertClean(`task ${taskPath} after completion`);
    });
  });

  test('Sở Nội vụ xác nhận hoàn thành nhiệm vụ đang chờ', async (t) => {
    assert.ok(taskPath, 'the previous step reported a task as done');
    await env.session(t, { user: 'sonoivu' }, async (s) => {
      const { page } = s;
      // From the dashboard's figure "awaiting verification" to the list.
      await s.goto('/dieu-hanh');
      const waiting = page.locator('a[href^="/nhiem-vu?status=awaiting_verification"]').first();
      const shown = firstInt(await waiting.innerText());
      await s.follow(waiting);
      const total = firstInt(await page.locator('main p.muted', { hasText: 'nhiệm vụ.' }).first().innerText());
      assert.equal(total, shown, 'the dashboard figure = the list of tasks awaiting verification');
      assert.ok(total >= 1);
      await s.assertClean('tasks awaiting verification');
      // The task is in the list (the list pages by 50: search it by its content when not).
      const id = taskPath.split('/').pop();
      let row = page.locator(`table.grid tbody tr:has(a[href="${taskPath}"])`);
      if (!(await row.count())) {
        await s.goto(`/nhiem-vu?status=awaiting_verification&q=${encodeURIComponent(id)}`);
        row = page.locator(`table.grid tbody tr:has(a[href="${taskPath}"])`);
      }
      if (await row.count()) {
        assert.equal((await row.locator('.tag').innerText()).trim(), 'Chờ xác nhận hoàn thành');
        await s.follow(row.locator(`a[href="${taskPath}"]`));
      } else {
        await s.goto(taskPath);
      }
      assert.equal(await s.text('.titlebar .tag'), 'Chờ xác nhận hoàn thành');
      assert.equal(await page.locator(TASK).filter({ hasText: result }).count(), 1, 'the verifier reads the reported result');
      await s.assertClean(`task ${taskPath} to verify`);

      const form = page.locator('form[action*="/xac-nhan"]');
      await form.locator('textarea[name=note]').fill('Đã kiểm tra quyết định công bố, đạt yêu cầu.');
      await s.submit(form.locator('button[name=accept][value="1"]'));
      assert.equal(new URL(page.url()).pathname, taskPath);
      const status = await s.text('.titlebar .tag');
      assert.match(status, /^Hoàn thành (đúng hạn|quá hạn)$/, `accepted: ${status}`);
      assert.equal(await page.locator('form[action*="/xac-nhan"]').count(), 0, 'nothing left to verify');
      assert.ok(await page.locator(TASK).filter({ hasText: 'Đã kiểm tra quyết định công bố' }).count(), 'the acceptance is in the history');
      await s.assertClean(`task ${taskPath} verified`);

      // One fewer task awaits verification.
      await s.goto('/dieu-hanh');
      assert.equal(firstInt(await page.locator('a[href^="/nhiem-vu?status=awaiting_verification"]').first().innerText()), shown - 1);
    });
  });

  test('lãnh đạo Sở Tư pháp thấy nhiệm vụ đã được xác nhận', async (t) => {
    assert.ok(taskPath);
    await env.session(t, { user: 'lanhdao.stp' }, async (s) => {
      await s.goto(taskPath);
      assert.match(await s.text('.titlebar .tag'), /^Hoàn thành (đúng hạn|quá hạn)$/);
      assert.equal(await s.page.locator('form[action*="/bao-cao"], form[action*="/hoan-thanh"]').count(), 0, 'a done task takes no more reports');
      await s.assertClean(`task ${taskPath} seen by the unit`);
    });
  });
});
