'use strict';
// Journey — the one-stop desk of the commune of Con Cuông. The clerk (motcua.xaconcuong)
// opens on the desk's home, receives a marriage registration (đăng ký kết hôn lưu động)
// checking the published documents (an incomplete checklist is refused with the input
// kept), prints the receipt (Mẫu 01) with the documents received; the commune's officer
// assigns and appraises it and submits it for signature; the chairman signs (the officer
// has no signing button); the clerk returns the result.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite } = require('../lib');

const PROCEDURE = '1.000593 – Thủ tục đăng ký kết hôn lưu động';

suite('bộ phận một cửa', (env) => {
  let dossierPath = null;
  let code = null;

  test('tiếp nhận hồ sơ theo danh mục thành phần, in giấy tiếp nhận', async (t) => {
    await env.session(t, { user: 'motcua.xaconcuong' }, async (s) => {
      const { page } = s;
      assert.match(await s.text('h1'), /^Quầy một cửa/, 'the clerk lands on the desk');
      assert.ok(await page.locator('[data-figure=online]').count(), 'online dossiers waiting are counted');
      await s.assertClean('desk home');

      await s.follow('a.button.primary[href="/ho-so/tiep-nhan"]');
      await s.assertClean('intake form');
      await page.fill('input[name=tthc]', PROCEDURE);
      await page.locator('input[name=tthc]').dispatchEvent('change');
      const boxes = page.locator('#thanh-phan input[type=checkbox]');
      await boxes.first().waitFor();
      const n = await boxes.count();
      assert.ok(n >= 3, `the procedure's documents are listed (${n})`);
      assert.match(await s.text('#thanh-phan'), /Tờ khai đăng ký kết hôn/);
      await page.fill('input[name=applicant_name]', 'Lương Văn Hải');
      await page.fill('input[name=applicant_phone]', '0912 456 789');

      // Nothing ticked: refused, the form comes back with what was typed.
      await s.submit('form[action^="/ho-so/tiep-nhan"] button[type=submit]');
      assert.match(await s.text('.field-error'), /chưa đủ thành phần/);
      assert.equal(await page.inputValue('input[name=applicant_name]'), 'Lương Văn Hải');
      await s.assertClean('intake refused');

      // Every document ticked: received.
      const again = page.locator('#thanh-phan input[type=checkbox]');
      for (let i = 0; i < (await again.count()); i++) await again.nth(i).check();
      await s.submit('form[action^="/ho-so/tiep-nhan"] button[type=submit]');
      assert.match(new URL(page.url()).pathname, /^\/ho-so\/\d+$/);
      assert.match(await s.text('.flash'), /Đã tiếp nhận hồ sơ/);
      dossierPath = new URL(page.url()).pathname;
      code = (await s.text('h1')).replace(/^Hồ sơ /, '');
      assert.match(await s.text('.titlebar .tag'), /Được tiếp nhận/);
      await s.assertClean('dossier received');

      // The receipt names the documents received and the appointment.
      const href = await page.locator('a[href$="/mau/phieu-tiep-nhan"]').first().getAttribute('href');
      await s.goto(href);
      const receipt = await page.locator('body').innerText();
      assert.match(receipt, /Tờ khai đăng ký kết hôn/);
      assert.ok(receipt.includes(code), 'the receipt carries the dossier code');
      assert.match(receipt, /hẹn trả/i);
      await s.assertClean('receipt', { checkOverflow: false });
    });
  });

  test('chuyên viên phân công, thẩm định, trình ký; lãnh đạo ký duyệt', async (t) => {
    assert.ok(dossierPath, 'a dossier was received');
    await env.session(t, { user: 'chuyenvien.xaconcuong' }, async (s) => {
      const { page } = s;
      await s.goto(dossierPath);
      const assign = page.locator('details.action.main form');
      assert.match(await s.text('details.action.main summary'), /^Phân công xử lý/);
      const select = assign.locator('select[name=to_user_id]');
      const value = await select.locator('option').nth(1).getAttribute('value');
      await select.selectOption(value);
      await s.submit(assign.locator('button[type=submit]'));
      assert.match(await s.text('.flash'), /Đã ghi nhận/);
      assert.match(await s.text('details.action.main summary'), /^Trình lãnh đạo ký duyệt/);
      await s.submit(page.locator('details.action.main form button[type=submit]'));
      // At the signing step the officer has no button to sign.
      assert.equal(await page.locator('input[name=result_code]').count(), 0, 'no signing form for the officer');
      assert.match(await s.text('ol.process li.current'), /ký duyệt/i);
      await s.assertClean('submitted for signature');
    });
    await env.session(t, { user: 'lanhdao.xaconcuong' }, async (s) => {
      const { page } = s;
      await s.goto(dossierPath);
      assert.match(await s.text('details.action.main summary'), /^Ký duyệt, ghi nhận kết quả/);
      const form = page.locator('details.action.main form');
      await form.locator('input[name=result_code]').fill('15/2026/KH');
      await s.submit(form.locator('button[type=submit]'));
      assert.match(await s.text('.titlebar .tag'), /Đã xử lý xong/);
      await s.assertClean('signed');
    });
  });

  test('bộ phận một cửa trả kết quả', async (t) => {
    assert.ok(dossierPath, 'a dossier was signed');
    await env.session(t, { user: 'motcua.xaconcuong' }, async (s) => {
      const { page } = s;
      await s.goto('/mot-cua');
      assert.ok(await page.locator(`#return a[href="${dossierPath}"]`).count(), 'the desk home lists it among the results to return');
      await s.goto(dossierPath);
      assert.match(await s.text('details.action.main summary'), /^Trả kết quả cho người nộp/);
      await s.submit(page.locator('details.action.main form button[type=submit]'));
      assert.match(await s.text('.titlebar .tag'), /Đã trả kết quả/);
      await s.assertClean('returned');
    });
  });
});
