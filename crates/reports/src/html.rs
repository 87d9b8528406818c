//! A paper as one standalone HTML page: inline CSS, no scripts, no external files, print
//! CSS for the paper size, so a browser prints it as the PDF looks.

use std::fmt::Write;

use crate::doc::{Align, Block, OfficialDoc, Run, Signature, Table, date_words};
use crate::labels;

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text with "\n" as line breaks.
fn esc_lines(text: &str) -> String {
    text.split('\n').map(esc).collect::<Vec<_>>().join("<br>")
}

fn align_class(align: Align) -> &'static str {
    match align {
        Align::Left => "l",
        Align::Center => "c",
        Align::Right => "r",
    }
}

fn runs_html(runs: &[Run]) -> String {
    let mut out = String::new();
    for run in runs {
        let text = esc_lines(&run.text);
        match (run.bold, run.italic) {
            (true, true) => write!(out, "<b><i>{text}</i></b>"),
            (true, false) => write!(out, "<b>{text}</b>"),
            (false, true) => write!(out, "<i>{text}</i>"),
            (false, false) => write!(out, "{text}"),
        }
        .ok();
    }
    out
}

fn css(doc: &OfficialDoc) -> String {
    let [top, right, bottom, left] = doc.paper.margins_mm();
    let size = doc.paper.body_size();
    let (width_pt, _) = doc.paper.size_pt();
    let page_width_mm = width_pt / 72.0 * 25.4;
    let content_mm = page_width_mm - left - right;
    format!(
        "@page {{ size: {paper}; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
html {{ background: #e8e8e8; }}
body {{ margin: 0; font-family: 'Times New Roman', 'Liberation Serif', Tinos, Times, serif;
  font-size: {size}pt; line-height: 1.25; color: #000; }}
.sheet {{ background: #fff; width: {content_mm:.1}mm; margin: 8mm auto;
  padding: {top}mm {right}mm {bottom}mm {left}mm; box-shadow: 0 0 4px #888; }}
@media print {{ html {{ background: none; }}
  .sheet {{ width: auto; margin: 0; padding: 0; box-shadow: none; }} }}
table.head {{ width: 100%; border-collapse: collapse; }}
table.head td {{ vertical-align: top; text-align: center; padding: 0; }}
td.issuer {{ width: 44%; }}
.rule {{ border-top: 1px solid #000; margin: 1pt auto 3pt; }}
.rule.short {{ width: 30%; }} .rule.motto {{ width: 62%; }}
.nation {{ font-weight: bold; font-size: {nation:.1}pt; white-space: nowrap; }}
.number {{ margin-top: 2pt; }}
.date {{ font-style: italic; margin-top: 4pt; }}
h1 {{ font-size: {title:.1}pt; text-align: center; margin: 14pt 0 0; text-transform: uppercase; }}
.subtitle {{ text-align: center; margin: 2pt 0 8pt; }}
p {{ margin: 0 0 3pt; }} p.indent {{ text-indent: 1cm; }}
.l {{ text-align: left; }} .c {{ text-align: center; }} .r {{ text-align: right; }}
.fields {{ display: flex; gap: 6pt; margin: 0 0 3pt; }}
.field {{ display: flex; flex: 1; }}
.field .label {{ white-space: nowrap; padding-right: 3pt; }}
.fill {{ flex: 1; border-bottom: 1px dotted #000; min-height: 1.1em; }}
.dotted {{ border-bottom: 1px dotted #000; height: 1.25em; }}
table.grid {{ width: 100%; border-collapse: collapse; margin: 4pt 0 6pt; font-size: {cell:.1}pt; }}
table.grid th, table.grid td {{ border: 1px solid #000; padding: 2pt 3pt; vertical-align: top; }}
table.grid th {{ text-align: center; vertical-align: middle; }}
table.grid thead {{ display: table-header-group; }}
table.grid tr {{ break-inside: avoid; }}
.empty {{ text-align: center; font-style: italic; }}
table.sign {{ width: 100%; border-collapse: collapse; margin-top: 8pt; break-inside: avoid; }}
table.sign td {{ text-align: center; vertical-align: top; padding: 0 4pt; }}
.sign .title {{ font-weight: bold; text-transform: uppercase; }}
.sign .hint {{ font-style: italic; }}
.sign .room {{ height: 16mm; }}
.sign .name {{ font-weight: bold; }}
",
        paper = doc.paper.css_size(),
        nation = size - 0.5,
        title = size + 1.0,
        cell = size - 1.0,
    )
}

fn head_html(doc: &OfficialDoc, out: &mut String) {
    let head = &doc.letterhead;
    out.push_str("<table class=\"head\"><tr><td class=\"issuer\">");
    if !head.agency_parent.trim().is_empty() {
        write!(
            out,
            "<div>{}</div>",
            esc(&head.agency_parent.to_uppercase())
        )
        .ok();
    }
    write!(
        out,
        "<div><b>{}</b></div><div class=\"rule short\"></div>",
        esc_lines(&head.agency.to_uppercase())
    )
    .ok();
    if let Some(number) = &head.number {
        let number = if number.trim().is_empty() {
            "……/……".to_string()
        } else {
            number.clone()
        };
        write!(out, "<div class=\"number\">Số: {}</div>", esc(&number)).ok();
    }
    out.push_str("</td><td>");
    write!(
        out,
        "<div class=\"nation\">{}</div><div><b>{}</b></div><div class=\"rule motto\"></div>",
        labels::NATIONAL_NAME,
        labels::MOTTO
    )
    .ok();
    if let Some((place, date)) = &doc.place_date {
        write!(
            out,
            "<div class=\"date\">{}, {}</div>",
            esc(place),
            date_words(*date)
        )
        .ok();
    }
    out.push_str("</td></tr></table>\n");
}

fn table_html(table: &Table, out: &mut String) {
    let total: f32 = table.columns.iter().map(|c| c.width).sum::<f32>().max(1.0);
    out.push_str("<table class=\"grid\"><colgroup>");
    for column in &table.columns {
        write!(
            out,
            "<col style=\"width:{:.1}%\">",
            column.width / total * 100.0
        )
        .ok();
    }
    out.push_str("</colgroup><thead><tr>");
    for column in &table.columns {
        write!(out, "<th>{}</th>", esc_lines(&column.head)).ok();
    }
    out.push_str("</tr></thead><tbody>");
    if table.rows.is_empty() {
        let text = table.empty_text.as_deref().unwrap_or("");
        write!(
            out,
            "<tr><td class=\"empty\" colspan=\"{}\">{}</td></tr>",
            table.columns.len(),
            esc(text)
        )
        .ok();
    }
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, column) in table.columns.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            write!(
                out,
                "<td class=\"{}\">{}</td>",
                align_class(column.align),
                esc_lines(cell)
            )
            .ok();
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn signatures_html(signatures: &[Signature], out: &mut String) {
    out.push_str("<table class=\"sign\"><tr>");
    for signature in signatures {
        out.push_str("<td>");
        if !signature.title.is_empty() {
            write!(
                out,
                "<div class=\"title\">{}</div>",
                esc_lines(&signature.title.to_uppercase())
            )
            .ok();
            if let Some(hint) = &signature.hint {
                write!(out, "<div class=\"hint\">{}</div>", esc(hint)).ok();
            }
            write!(
                out,
                "<div class=\"room\"></div><div class=\"name\">{}</div>",
                esc(&signature.name)
            )
            .ok();
        }
        out.push_str("</td>");
    }
    out.push_str("</tr></table>\n");
}

fn field_html(label: &str, value: &str) -> String {
    if value.trim().is_empty() {
        format!(
            "<div class=\"field\"><span class=\"label\">{}:</span><span class=\"fill\"></span></div>",
            esc(label)
        )
    } else {
        format!(
            "<div class=\"field\"><span class=\"label\">{}:</span><span class=\"value\">{}</span></div>",
            esc(label),
            esc_lines(value)
        )
    }
}

fn block_html(block: &Block, out: &mut String) {
    match block {
        Block::Paragraph {
            runs,
            align,
            indent,
        } => {
            let indent = if *indent { " indent" } else { "" };
            writeln!(
                out,
                "<p class=\"{}{indent}\">{}</p>",
                align_class(*align),
                runs_html(runs)
            )
            .ok();
        }
        Block::Field { label, value } => {
            writeln!(
                out,
                "<div class=\"fields\">{}</div>",
                field_html(label, value)
            )
            .ok();
        }
        Block::Fields(fields) => {
            out.push_str("<div class=\"fields\">");
            for (label, value) in fields {
                out.push_str(&field_html(label, value));
            }
            out.push_str("</div>\n");
        }
        Block::DottedLines(n) => {
            for _ in 0..*n {
                out.push_str("<div class=\"dotted\"></div>\n");
            }
        }
        Block::Table(table) => table_html(table, out),
        Block::Signatures(signatures) => signatures_html(signatures, out),
        Block::Space(lines) => {
            writeln!(out, "<div style=\"height:{:.2}em\"></div>", lines * 1.25).ok();
        }
    }
}

/// The paper as a complete HTML page, ready to show or print.
pub fn to_html(doc: &OfficialDoc) -> String {
    let mut out = String::with_capacity(8 * 1024);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         <title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<div class=\"sheet\">\n",
        esc(&doc.title),
        css(doc)
    )
    .ok();
    head_html(doc, &mut out);
    writeln!(out, "<h1>{}</h1>", esc_lines(&doc.title.to_uppercase())).ok();
    if !doc.subtitle.is_empty() {
        writeln!(
            out,
            "<div class=\"subtitle\">{}</div>",
            runs_html(&doc.subtitle)
        )
        .ok();
    } else {
        out.push_str("<div class=\"subtitle\"></div>\n");
    }
    for block in &doc.blocks {
        block_html(block, &mut out);
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_user_text() {
        assert_eq!(esc("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
        assert_eq!(esc_lines("a<\nb"), "a&lt;<br>b");
    }
}
