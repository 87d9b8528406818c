'use strict';
// Journey 4 — the VP UBND – KSTT office (vanphong) imports a directive by pasting its
// text: the proposal shows the document's number, date and subject and one task per
// item with its lead agency and deadline; the office saves it and finds the tasks in the
// task list.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const { suite } = require('../lib');

// A short directive in the province's usual layout (NĐ 30/2020), written for this test:
// its number (9000–9999) is none of the demo's and differs between runs (a server reused
// with E2E_BASE_URL refuses a number twice), its deadlines are ahead of the demo's today.
const NUMBER = `9${String(Date.now() % 1000).padStart(3, '0')}/UBND-KSTT`;
const DIRECTIVE = `ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: ${NUMBER}

Nghệ An, ngày 01 tháng 12 năm 2026

V/v đẩy mạnh số hóa hồ sơ, kết quả giải quyết
thủ tục hành chính năm 2027

Kính gửi:
- Sở Tư pháp;
- Sở Xây dựng;
- Sở Nội vụ.

Để nâng cao tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính theo Bộ chỉ số 766, Ủy ban nhân dân tỉnh yêu cầu các cơ quan triển khai thực hiện một số nội dung sau:

1. Giao Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát, số hóa toàn bộ kết quả giải quyết thủ tục hành chính lĩnh vực hộ tịch còn lưu trữ bản giấy; hoàn thành trước ngày 31/3/2027.

2. Giao Sở Xây dựng chủ trì, phối hợp với Sở Tư pháp tổ chức số hóa hồ sơ cấp giấy phép xây dựng tiếp nhận từ năm 2024 đến nay; hoàn thành trước ngày 30/6/2027.

3. Giao Sở Nội vụ tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/7/2027.

Yêu cầu Thủ trưởng các cơ quan, đơn vị triển khai thực hiện nghiêm túc./.

Nơi nhận:
- Như trên;
- Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, KSTT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Hồng Vinh
`;

// What the proposal must read, item by item.
const EXPECTED = [
  { words: 'lĩnh vực hộ tịch', lead: 'Sở Tư pháp', deadline: '31/03/2027' },
  { words: 'giấy phép xây dựng', lead: 'Sở Xây dựng', deadline: '30/06/2027' },
  { words: 'tổng hợp kết quả thực hiện', lead: 'Sở Nội vụ', deadline: '15/07/2027' },
];

const sameDate = (a, b) => {
  const norm = (d) => d.split('/').map((x) => String(Number(x))).join('/');
  return norm(a) === norm(b);
};

/** The row of `rows` about `e.words` shows its lead, deadline and "in progress". */
async function expectRow(rows, e) {
  const row = rows.filter({ hasText: e.words });
  assert.equal(await row.count(), 1, `a row for «${e.words}»`);
  assert.equal((await row.locator('td').nth(2).innerText()).trim(), e.lead, `lead of «${e.words}»`);
  const deadline = (await row.locator('td').nth(3).innerText()).trim();
  assert.ok(sameDate(deadline, e.deadline), `deadline of «${e.words}»: ${deadline}`);
  assert.equal((await row.locator('.tag').innerText()).trim(), 'Đang thực hiện');
}

suite('văn phòng UBND tỉnh – KSTT', (env) => {
  test('nhập văn bản chỉ đạo bằng cách dán nội dung, lưu và tìm thấy nhiệm vụ', async (t) => {
    await env.session(t, { user: 'vanphong' }, async (s) => {
      const { page } = s;
      await s.follow('nav.mainnav a[href="/van-ban"]');
      await s.assertClean('directive list');
      await s.follow('a[href="/van-ban/nhap"]');
      await s.assertClean('import form');
      await page.fill('textarea[name=text]', DIRECTIVE);
      await s.submit('form[action^="/van-ban/nhap"] button[type=submit]');

      // The proposal.
      assert.equal(await page.locator('input[name=d0_number]').inputValue(), NUMBER, 'the number is read');
      assert.equal(await page.locator('input[name=d0_date]').inputValue(), '01/12/2026', 'the date is read');
      assert.match(await page.locator('textarea[name=d0_subject]').inputValue(), /số hóa hồ sơ/, 'the subject is read');
      assert.match(await page.locator('input[name=d0_signer_name]').inputValue(), /Lê Hồng Vinh/, 'the signer is read');
      assert.ok(await page.locator('pre.source-text mark').count(), 'what was read is marked in the source');
      const rows = page.locator('table.tasks-edit tbody tr');
      assert.equal(await rows.count(), EXPECTED.length, 'one task per item');
      for (const [j, e] of EXPECTED.entries()) {
        const row = rows.nth(j);
        const content = await row.locator(`textarea[name=d0_t${j}_content]`).inputValue();
        assert.ok(content.includes(e.words), `task ${j + 1}: ${content}`);
        const lead = (await row.locator(`select[name=d0_t${j}_lead] option:checked`).innerText()).trim();
        assert.ok(lead.includes(e.lead), `task ${j + 1}: lead «${lead}», expected ${e.lead}`);
        const deadline = await row.locator(`input[name=d0_t${j}_deadline]`).inputValue();
        assert.ok(sameDate(deadline, e.deadline), `task ${j + 1}: deadline ${deadline}, expected ${e.deadline}`);
        assert.ok(await row.locator(`input[name=d0_t${j}_include]`).isChecked(), `task ${j + 1} is proposed for saving`);
      }
      await s.assertClean('import proposal');

      // Save: the directive page lists its three tasks with their leads and deadlines.
      await s.submit('form.proposal button[type=submit].primary');
      assert.match(new URL(page.url()).pathname, /^\/van-ban\/\d+$/, 'saved: the directive page');
      const directivePath = new URL(page.url()).pathname;
      assert.match(await s.text('.flash'), new RegExp(`Đã lưu 1 văn bản và giao ${EXPECTED.length} nhiệm vụ`));
      assert.ok((await s.text('main')).includes(NUMBER));
      const saved = page.locator('table.grid tbody tr');
      assert.equal(await saved.count(), EXPECTED.length, 'the directive has its three tasks');
      for (const e of EXPECTED) await expectRow(saved, e);
      await s.assertClean('the saved directive');

      // The task list: the office searches by a word of the work and finds them.
      await s.follow('nav.mainnav a[href="/nhiem-vu"]');
      await page.fill('form.filters input[name=q]', 'số hóa');
      await s.submit('form.filters button[type=submit]');
      const found = page.locator('table.grid tbody tr', { hasText: NUMBER });
      assert.equal(await found.count(), 2, 'the two tasks about digitisation, under the new directive');
      for (const e of EXPECTED.slice(0, 2)) await expectRow(found, e);
      await s.assertClean('task list search');
      // Each task opens on its page, under the directive.
      await s.follow(found.first().locator('a[href^="/nhiem-vu/"]'));
      assert.equal(await page.locator(`nav.crumbs a[href="${directivePath}"]`).count(), 1, 'the task belongs to the saved directive');
      await s.assertClean('a saved task');
    });
  });
});
