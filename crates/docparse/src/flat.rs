//! Appendix tables whose text layer lost the grid: a PDF prints each cell on lines of its
//! own, with no separator ("TT" / "Nhiệm vụ, giải pháp" / "Cơ quan chủ trì" / … then
//! "1.1" / the task / "Bộ Tài chính" / "Bộ Khoa học và Công nghệ" / "Quý IV/2026").
//! After the lines of a cell are joined ([`crate::layout`]), a row is its number line and
//! the cells that follow, in the order of the column heads; the cells are told apart by
//! what they hold (work, bodies, a product, a time).

use crate::agency::{parse_agencies, starts_like_body};
use crate::deadline::table_time;
use crate::model::Task;
use crate::normalize::{fold, squash};
use regex::Regex;
use std::sync::LazyLock;

static ROW_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}(?:\.\d{1,3}){0,3}\.?|[IVX]{1,5}\.?|[a-zđ]\))$").expect("static regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:trước\s+|trong\s+|hoàn thành\s+|từ\s+|đến\s+|năm\s+|tháng\s+|quý\s+|hằng\s+|hàng\s+|định kỳ|thường xuyên|nhiệm vụ thường xuyên|liên tục|\d{1,2}/\d{4}|\d{4}|\d{1,2}/\d{1,2}/\d{4}|6 tháng)")
        .expect("static regex")
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Number,
    Content,
    Lead,
    Support,
    Product,
    Time,
}

fn column_of(line: &str) -> Option<Col> {
    let t = line.trim();
    if t.len() > 120 || t.chars().count() > 60 {
        return None;
    }
    let f = fold(t);
    Some(if f == "tt" || f == "stt" || f == "so tt" {
        Col::Number
    } else if f.contains("chu tri") {
        Col::Lead
    } else if f.contains("phoi hop") {
        Col::Support
    } else if f.contains("thoi gian") || f.contains("thoi han") || f.contains("tien do") {
        Col::Time
    } else if f.contains("san pham") || f.contains("ket qua") {
        Col::Product
    } else if [
        "nhiem vu",
        "noi dung",
        "giai phap",
        "cong viec",
        "hoat dong",
        "de an",
        "ten ",
    ]
    .iter()
    .any(|w| f.contains(w))
    {
        Col::Content
    } else {
        return None;
    })
}

/// The column heads starting at `i` ("TT" first), and the index after them.
fn header_at(lines: &[&str], i: usize) -> Option<(Vec<Col>, Vec<String>, usize)> {
    if column_of(lines[i]) != Some(Col::Number) {
        return None;
    }
    let mut cols = vec![Col::Number];
    let mut texts = vec![fold(lines[i].trim())];
    let mut j = i + 1;
    while j < lines.len() && cols.len() < 9 {
        let t = lines[j].trim();
        if t.is_empty() {
            j += 1;
            continue;
        }
        match column_of(t) {
            Some(c) if c != Col::Number => {
                cols.push(c);
                texts.push(fold(t));
            }
            _ => break,
        }
        j += 1;
    }
    (cols.contains(&Col::Lead) && cols.contains(&Col::Content)).then_some((cols, texts, j))
}

fn is_time(s: &str) -> bool {
    TIME.is_match(s.trim())
}

/// Tasks of the grid-less tables among `lines` (index, text), from `from` on.
pub fn tasks(lines: &[&str], from: usize) -> Vec<(usize, Task)> {
    let mut out = Vec::new();
    let mut i = from;
    while i < lines.len() {
        if !crate::budget::go_on() {
            break;
        }
        let Some((cols, heads, start)) = header_at(lines, i) else {
            i += 1;
            continue;
        };
        // Rows: a number line and the lines up to the next one; repeated heads skipped.
        let mut rows: Vec<(usize, String, Vec<&str>)> = Vec::new();
        let mut j = start;
        while j < lines.len() {
            let t = lines[j].trim();
            if t.is_empty() || heads.contains(&fold(t)) {
                j += 1;
                continue;
            }
            if ROW_NUMBER.is_match(t) {
                rows.push((j, t.trim_end_matches('.').to_string(), Vec::new()));
            } else if let Some(r) = rows.last_mut() {
                if column_of(t).is_some() && t.chars().count() < 25 && r.2.is_empty() {
                    // A stray head between pages.
                } else {
                    r.2.push(t);
                }
            } else if fold(t).starts_with("phu luc") || crate::table::is_row(t) {
                break;
            }
            // The table ends at a signature or a new appendix.
            let f = fold(t);
            if f.starts_with("phu luc") && !rows.is_empty() || f.starts_with("noi nhan") {
                break;
            }
            j += 1;
        }
        for (line, label, cells) in rows {
            if let Some(t) = row_task(&cols, &label, &cells) {
                out.push((line, t));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// The task of one row: its cells read in column order.
fn row_task(cols: &[Col], label: &str, cells: &[&str]) -> Option<Task> {
    let mut rest: Vec<&str> = cells.to_vec();
    let mut time = String::new();
    if cols.contains(&Col::Time)
        && let Some(last) = rest.last()
        && is_time(last)
    {
        time = (*last).to_string();
        rest.pop();
    }
    // The work: lines up to the first that names a body.
    let first_body = rest
        .iter()
        .skip(1)
        .position(|l| starts_like_body(l))
        .map(|p| p + 1)?;
    let content = squash(&rest[..first_body].join(" "));
    let mut bodies = rest[first_body..].to_vec();
    let mut product = String::new();
    if cols.contains(&Col::Product) {
        // The product cell: the trailing lines that name no body.
        while let Some(last) = bodies.last() {
            if starts_like_body(last) || bodies.len() == 1 {
                break;
            }
            product = format!("{last} {product}");
            bodies.pop();
        }
    }
    let lead = parse_agencies(bodies.first()?);
    if lead.is_empty() {
        return None;
    }
    let mut support: Vec<String> = Vec::new();
    if cols.contains(&Col::Support) {
        for b in &bodies[1..] {
            for a in parse_agencies(b) {
                if !support.iter().any(|s| fold(s) == fold(&a))
                    && !lead.iter().any(|l| fold(l) == fold(&a))
                {
                    support.push(a);
                }
            }
        }
    }
    let _ = product;
    let (d, recurrence) = table_time(&time);
    Some(Task {
        content,
        lead,
        support,
        deadline: d.date,
        deadline_text: d.text,
        recurrence,
        source: Some(format!("Phụ lục, mục {label}")),
    })
}
