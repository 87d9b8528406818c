#!/usr/bin/env python3
"""Prints the seed directives to PDF with headless Chromium, as a word processor would:
justified paragraphs with every glyph placed on its own, bold runs inside sentences,
tables as tables, and the first letter's header and signature as two-column tables.

The PDFs are test fixtures of the reader's PDF path (crates/docparse/tests/pdf.rs); they
are committed, so the tests need no Chromium. Run again only to change them:
    python3 scripts/pdf-fixtures.py
"""
import html
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "..", "shared", "seeds", "nghe-an-cchc-2023-08.txt")
OUT = os.path.join(ROOT, "crates", "docparse", "tests", "fixtures", "pdf")

STYLE = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "DejaVu Serif"; font-size: 13pt; }
td { vertical-align: top; }
.head td { text-align: center; }
p { text-align: justify; text-indent: 1cm; margin: 4pt 0; }
p.c { text-align: center; text-indent: 0; }
table.grid { border-collapse: collapse; font-size: 10pt; }
table.grid td { border: 1px solid #000; padding: 2pt; }
"""


def inline(s):
    """**bold** and *italic* of the Markdown-like seed, as HTML."""
    s = html.escape(s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    s = re.sub(r"\*(.+?)\*", r"<i>\1</i>", s)
    return s.replace("**", "")


def body_html(text):
    """Each blank-line paragraph justified, its own line breaks kept; tab rows as a grid
    table; a page break before each new header (a national motto after the first)."""
    out, rows, first = [], [], True
    for para in re.split(r"\n\s*\n", text):
        lines = [l for l in para.split("\n") if l.strip()]
        if not lines:
            continue
        if all("\t" in l for l in lines):
            rows += lines
            continue
        if rows:
            out.append(grid(rows))
            rows = []
        if lines[0].startswith("**ỦY BAN NHÂN DÂN") or lines[0].startswith("**VĂN PHÒNG"):
            if not first:
                out.append('<div style="break-before: page"></div>')
            first = False
        out.append("<p>%s</p>" % "<br>".join(inline(l) for l in lines))
    if rows:
        out.append(grid(rows))
    return "\n".join(out)


def grid(rows):
    cells = lambda r: "".join("<td>%s</td>" % inline(c) for c in r.split("\t"))
    return '<table class="grid">%s</table>' % "".join("<tr>%s</tr>" % cells(r) for r in rows)


def letter_html(text):
    """The first letter of the seed laid out as printed: the header and the signature
    in two-column tables, the addressees centred, the body justified."""
    start = text.index("Thực hiện Thông báo số 304")
    end = text.index("Nơi nhận:")
    body = "".join(
        "<p>%s</p>" % inline(p.strip().replace("\n", " "))
        for p in re.split(r"\n\s*\n", text[start:end])
        if p.strip()
    )
    return f"""
<table class="head" width="100%"><tr>
<td width="38%"><b>ỦY BAN NHÂN DÂN<br>TỈNH NGHỆ AN</b></td>
<td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b></td></tr>
<tr><td>Số: 6794/UBND-KSTT<br><span style="font-size:11pt">V/v triển khai thực hiện Thông
báo kết luận của BCD CCHC của Chính phủ tại Phiên họp thứ năm ngày 19/7/2023</span></td>
<td><i>Nghệ An, ngày 15 tháng 8 năm 2023</i></td></tr></table>
<p class="c">Kính gửi:<br>- Các Sở, ban, ngành cấp tỉnh;<br>- UBND các huyện, thành phố, thị xã, tỉnh Nghệ An.</p>
{body}
<table width="100%"><tr><td width="50%" style="font-size:11pt"><b><i>Nơi nhận:</i></b><br>
- Như trên;<br>- VPCP, Bộ Nội vụ;<br>- Ban Chỉ đạo CCHC tỉnh;<br>- Lưu: VT, KSTT.</td>
<td style="text-align:center"><b>TM. ỦY BAN NHÂN DÂN<br>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH</b>
<br><br><br><br><b>Lê Hồng Vinh</b></td></tr></table>"""


def print_pdf(body, name):
    with tempfile.TemporaryDirectory() as d:
        page = os.path.join(d, "p.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write('<html><head><meta charset="utf-8"><style>%s</style></head><body>%s</body></html>' % (STYLE, body))
        subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--print-to-pdf=" + os.path.join(OUT, name), "file://" + page],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )


def main():
    text = open(SEED, encoding="utf-8").read()
    os.makedirs(OUT, exist_ok=True)
    print_pdf(letter_html(text), "seed-letter.pdf")
    print_pdf(body_html(text), "seed.pdf")
    for n in ("seed-letter.pdf", "seed.pdf"):
        print(n, os.path.getsize(os.path.join(OUT, n)), "bytes")


if __name__ == "__main__":
    main()
