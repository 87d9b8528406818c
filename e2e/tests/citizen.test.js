'use strict';
// Journey 5 — a citizen on a phone (390×844), without an account: looks a dossier up on
// the public portal by its code and the last four digits of their phone, and searches a
// procedure: "khai sinh" (and "khaisinh", typed without the blank) brings a procedure
// whose name contains "khai sinh" first.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite } = require('../lib');

/** "2027-01-12T10:30:00Z" → "17:30 12/01/2027", as the pages write a time (UTC+07:00). */
function vnTime(iso) {
  const d = new Date(new Date(iso).getTime() + 7 * 3600 * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())} ${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

suite('người dân trên điện thoại', (env) => {
  let dossier = null;

  test('cán bộ một cửa đọc mã một hồ sơ (để người dân tra cứu)', async (t) => {
    // The code is printed on the receipt the citizen holds; here a desk officer reads it
    // from the dossier list, and the phone the citizen declared from the dossier.
    await env.session(t, { user: 'motcua.tinh' }, async (s) => {
      const { page } = s;
      await s.goto('/ho-so');
      // The first dossier of the list that was received at the desk (it has a receipt).
      const links = page.locator('table tbody tr a[href^="/ho-so/"]');
      await links.first().waitFor();
      const n = Math.min(await links.count(), 30);
      for (let i = 0; i < n && !dossier; i++) {
        const link = links.nth(i);
        const id = (await link.getAttribute('href')).split('/').pop();
        const code = (await link.innerText()).trim();
        const res = await page.request.get(s.url(`/api/v1/dossiers/${id}`));
        assert.equal(res.status(), 200);
        const d = (await res.json()).dossier;
        assert.equal(d.code, code, 'the list shows the dossier code');
        const digits = (d.applicant_phone || '').replace(/\D/g, '');
        if (!d.received_at || !d.appointment_at || digits.length < 4) continue;
        dossier = { code, phone4: digits.slice(-4), procedure: d.procedure_name, status: d.status_label, appointment: vnTime(d.appointment_at) };
      }
      assert.ok(dossier, 'a received dossier with a phone among the first of the list');
      const code = dossier.code;
      t.diagnostic(`dossier ${code} (${dossier.procedure})`);
    });
  });

  test('tra cứu hồ sơ theo mã trên cổng công khai', async (t) => {
    assert.ok(dossier, 'a dossier code from the previous step');
    await env.session(t, { viewport: 'phone' }, async (s) => {
      const { page } = s;
      await s.goto('/cong-khai');
      await s.assertClean('portal on a phone');
      const form = page.locator('form[action="/tra-cuu"]');
      await form.locator('input[name=ma]').fill(dossier.code);
      await form.locator('input[name=so]').fill(dossier.phone4);
      await s.submit(form.locator('button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/tra-cuu');
      assert.equal(await page.locator('[role=alert]').count(), 0, 'no error message');
      const found = page.locator('main section.card').first();
      assert.equal((await found.locator('code').innerText()).trim(), dossier.code, 'the dossier found is the one asked for');
      assert.ok((await found.innerText()).includes(dossier.procedure), 'its procedure is shown');
      assert.ok((await found.innerText()).includes(dossier.status), `its status is shown: ${dossier.status}`);
      const shown = (await found.innerText()).replace(/\s+/g, ' ');
      assert.ok(shown.includes(`Ngày hẹn trả ${dossier.appointment}`), `the appointment on the receipt, ${dossier.appointment}: ${shown}`);
      await s.assertClean('dossier found, on a phone');

      // A wrong phone is refused without saying whether the code exists.
      const wrong = String((Number(dossier.phone4) + 1) % 10000).padStart(4, '0');
      await s.goto(`/tra-cuu?ma=${encodeURIComponent(dossier.code)}&so=${wrong}`);
      assert.equal(await page.locator('main section.card code').count(), 0, 'nothing shown for a wrong phone');
      assert.match(await s.text('[role=alert]'), /^Không tìm thấy hồ sơ/, 'a message says why');
      await s.assertClean('dossier not found, on a phone');
    });
  });

  test('tìm thủ tục "khai sinh" trên cổng công khai', async (t) => {
    await env.session(t, { viewport: 'phone' }, async (s) => {
      const { page } = s;
      await s.goto('/cong-khai');
      const form = page.locator('form[action="/thu-tuc"]');
      await form.locator('input[name=q]').fill('khai sinh');
      await s.submit(form.locator('button[type=submit]'));
      assert.equal(new URL(page.url()).pathname, '/thu-tuc');
      const names = page.locator('main a.name');
      assert.ok((await names.count()) > 0, 'procedures found');
      const first = (await names.first().innerText()).trim();
      assert.ok(fold(first).includes('khai sinh'), `the first procedure is about birth registration: ${first}`);
      t.diagnostic(`"khai sinh" → ${first}`);
      await s.assertClean('procedure search on a phone');

      // Without diacritics or blanks, as people type on a phone.
      await s.goto('/thu-tuc?q=khaisinh');
      const again = (await page.locator('main a.name').first().innerText()).trim();
      assert.ok(fold(again).includes('khai sinh'), `"khaisinh" first: ${again}`);

      // The procedure's page opens and reads well on the phone.
      await s.follow(page.locator('main a.name').first());
      assert.match(new URL(page.url()).pathname, /^\/thu-tuc\/[^/]+$/);
      assert.ok((await s.text('h1')).length > 0);
      await s.assertClean('procedure page on a phone');
    });
  });
});
