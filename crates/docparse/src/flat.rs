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
use std::borrow::Cow;
use std::sync::LazyLock;

static ROW_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}(?:\.\d{1,3}){0,3}\.?|[IVX]{1,5}\.?|[a-zđ]\))$").expect("static regex")
});
/// A row number followed on its line by the row's first cell ("10.  Xây dựng Luật …").
/// ("2.1 Theo dõi, tổng hợp …": a numbered sub-row with one space; "a) Tổ chức Hội nghị
/// …": a lettered one whose label a line join put before its work.)
static ROW_NUMBER_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d{1,3}(?:\.\d{1,3}){0,3})(?:\.\s+|\s{2,})|(\d{1,3}(?:\.\d{1,3}){1,3})\s|([a-zđ]\))\s+)(\p{Lu}.*)$")
        .expect("static regex")
});
/// A row number glued to the end of the line before it ("… cân đối 15.", "Thời gian hoàn
/// thành 4."), as a PDF puts the number cell beside the last line of the cell before.
static TRAILING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*\S)\s+(\d{1,3})\.$").expect("static regex"));
/// A group heading among the rows ("II. Hoàn thiện thể chế …").
static GROUP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[IVX]{1,5}\.\s+\p{Lu}").expect("static regex"));
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
    /// A column the reader does not use ("Căn cứ", "Ghi chú").
    Other,
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
    } else if crate::table::performer(&f) {
        Col::Lead
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
        "chi tieu",
    ]
    .iter()
    .any(|w| f.contains(w))
    {
        Col::Content
    } else {
        return None;
    })
}

/// The columns named by a line of heads, in their order on the line.
fn merged_columns(f: &str) -> Vec<Col> {
    let marks: [(&str, Col); 8] = [
        ("chu tri", Col::Lead),
        ("phoi hop", Col::Support),
        ("ket qua", Col::Product),
        ("san pham", Col::Product),
        ("thoi gian", Col::Time),
        ("thoi han", Col::Time),
        ("tien do", Col::Time),
        ("can cu", Col::Other),
    ];
    let mut found: Vec<(usize, Col)> = marks
        .iter()
        .filter_map(|(m, c)| f.find(m).map(|i| (i, *c)))
        .collect();
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().map(|(_, c)| c).collect()
}

/// Heads written as a Markdown row over cells that lost their grid ("| TT | Nội dung hoạt
/// động | Cơ quan chủ trì | Cơ quan phối hợp |" / "| --- | … |" / "Thời gian thực hiện" /
/// "1" / …): the columns, and the index after the row and its rule. Not a table whose rows
/// keep their bars (crate::table reads those).
fn pipe_header(lines: &[&str], i: usize) -> Option<(Vec<Col>, Vec<String>, usize)> {
    let t = lines[i].trim();
    if !crate::table::is_row(t) {
        return None;
    }
    let cells: Vec<&str> = t.trim_matches('|').split('|').map(str::trim).collect();
    if column_of(cells.first()?) != Some(Col::Number) {
        return None;
    }
    let cols: Vec<Col> = cells
        .iter()
        .map(|c| column_of(c).unwrap_or(Col::Other))
        .collect();
    let mut j = i + 1;
    let rule = |l: &str| {
        let l = l.trim();
        l.starts_with('|') && l.contains("--") && l.trim_matches(['|', '-', ':', ' ']).is_empty()
    };
    while j < lines.len() && (rule(lines[j]) || lines[j].trim().is_empty()) {
        j += 1;
    }
    if lines.get(j).is_none_or(|l| crate::table::is_row(l.trim())) {
        return None;
    }
    Some((cols, cells.iter().map(|c| fold(c)).collect(), j))
}

/// The column heads starting at `i` ("TT" first), and the index after them.
fn header_at(lines: &[&str], i: usize) -> Option<(Vec<Col>, Vec<String>, usize)> {
    let (mut cols, mut texts, mut j) = match pipe_header(lines, i) {
        Some(h) => h,
        None => {
            if column_of(lines[i]) != Some(Col::Number) {
                return None;
            }
            (vec![Col::Number], vec![fold(lines[i].trim())], i + 1)
        }
    };
    while j < lines.len() && cols.len() < 9 {
        let t = lines[j].trim();
        if t.is_empty() {
            j += 1;
            continue;
        }
        match column_of(t) {
            Some(c) if c != Col::Number => {
                // Heads printed on one line ("Cơ quan chủ trì Cơ quan phối hợp Kết quả"):
                // each is a column.
                let merged = merged_columns(&fold(t));
                if merged.len() > 1 {
                    cols.extend(merged);
                } else {
                    cols.push(c);
                }
                texts.push(fold(t));
            }
            _ => break,
        }
        j += 1;
    }
    (cols.contains(&Col::Lead) && cols.contains(&Col::Content)).then_some((cols, texts, j))
}

/// Words that open a product cell ("Sản phẩm", "Kết quả"): a document, a report, a
/// system or activities, never a body.
const PRODUCT_STARTS: &[&str] = &[
    "Các văn bản",
    "Văn bản",
    "Báo cáo",
    "Đề án",
    "Dự thảo",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Thông tư",
    "Chỉ thị",
    "Cơ sở dữ liệu",
    "Bộ chỉ số",
    "Các cơ chế",
    "Các hoạt động",
    "Các đề tài",
    "Các số ",
    "Các chương trình",
    "Các chính sách",
    "Các mô hình",
    "Hệ thống",
    "Tài liệu",
];

/// `line` up to a product cell run into it after a lowercase word ("… ngang bộ Báo cáo
/// hằng năm" → "… ngang bộ"); the whole line when no product starts in it.
fn without_product(line: &str) -> &str {
    for (i, _) in line.match_indices(' ') {
        let rest = &line[i + 1..];
        let before_lower = line[..i]
            .split_whitespace()
            .last()
            .is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()));
        if before_lower && PRODUCT_STARTS.iter().any(|p| rest.starts_with(p)) {
            return line[..i].trim_end();
        }
    }
    if PRODUCT_STARTS
        .iter()
        .any(|p| line.trim_start().starts_with(p))
    {
        return "";
    }
    line
}

/// Where the lines of a row cut by a page break go (the heads repeat, then the rest of
/// each cell in column order: the work's last lines, the lead's, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Lines in lower case go on with the work.
    Content,
    /// A name cut after "và" or a comma goes on in the next line.
    Lead,
    /// Pieces of the other cells: dropped.
    Rest,
}

/// Puts `t`, a line after the repeated heads, into the cut row's `cells`; the phase for
/// the next line, or None when the row's continuation is over (`t` not used).
fn continue_cut<'a>(phase: Cut, cells: &mut Vec<Cow<'a, str>>, t: &'a str) -> Option<Cut> {
    let first_body = cells
        .iter()
        .skip(1)
        .position(|l| starts_like_body(l))
        .map(|p| p + 1);
    let lower = t.starts_with(|c: char| c.is_lowercase());
    match phase {
        Cut::Content if lower => {
            let at = first_body.unwrap_or(cells.len());
            cells.insert(at, t.into());
            Some(if t.ends_with('.') {
                Cut::Lead
            } else {
                Cut::Content
            })
        }
        Cut::Content | Cut::Lead => {
            if let Some(b) = first_body
                && !lower
                && (cells[b].ends_with(" và") || cells[b].ends_with(','))
            {
                cells[b] = format!("{} {t}", cells[b]).into();
            }
            Some(Cut::Rest)
        }
        Cut::Rest => (!is_time(t)).then_some(Cut::Rest),
    }
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
        let mut rows: Vec<(usize, String, Vec<Cow<str>>)> = Vec::new();
        let mut in_group = false;
        // A row cut by a page break: the heads repeat, then the rest of each cell.
        let mut cut_at: Option<Cut> = None;
        let mut j = start;
        while j < lines.len() {
            let mut t = lines[j].trim();
            if t.is_empty() || heads.contains(&fold(t)) {
                if !t.is_empty()
                    && heads.first() == Some(&fold(t))
                    && rows.last().is_some_and(|r| r.2.len() > 1)
                {
                    cut_at = Some(Cut::Content);
                }
                j += 1;
                continue;
            }
            // A repeated head with the next cell's words after it on the same line.
            if let Some(h) = heads
                .iter()
                .find(|h| h.len() > 3 && fold(t).starts_with(&format!("{h} ")))
            {
                let cut = t
                    .char_indices()
                    .nth(h.chars().count())
                    .map_or(t.len(), |(i, _)| i);
                t = t[cut..].trim();
            }
            if let Some(phase) = cut_at
                && !ROW_NUMBER.is_match(t)
                && !ROW_NUMBER_TEXT.is_match(t)
                && let Some(r) = rows.last_mut()
            {
                cut_at = continue_cut(phase, &mut r.2, t);
                if cut_at.is_some() {
                    j += 1;
                    continue;
                }
            }
            cut_at = None;
            let expected = rows
                .last()
                .and_then(|r| r.1.parse::<usize>().ok())
                .map(|n| (n + 1).to_string());
            let glued = TRAILING_NUMBER
                .captures(t)
                .filter(|c| c.get(2).map(|m| m.as_str()) == expected.as_deref())
                .and_then(|c| Some((c.get(1)?.as_str(), c.get(2)?.as_str())));
            if let Some((before, number)) = glued {
                if let Some(r) = rows.last_mut()
                    && !in_group
                    && !heads.contains(&fold(before))
                {
                    r.2.push(before.into());
                }
                rows.push((j, number.to_string(), Vec::new()));
                in_group = false;
            } else if ROW_NUMBER.is_match(t) {
                rows.push((j, t.trim_end_matches('.').to_string(), Vec::new()));
                in_group = false;
            } else if let Some((n, text)) = t.split_once(' ').filter(|(n, text)| {
                // "12 Xây dựng …": the next row's number with one space before its work.
                Some(*n) == expected.as_deref() && text.starts_with(char::is_uppercase)
            }) {
                rows.push((j, n.to_string(), vec![text.trim().into()]));
                in_group = false;
            } else if let Some(c) = ROW_NUMBER_TEXT.captures(t)
                && let (Some(n), Some(text)) = (c.get(1).or(c.get(2)).or(c.get(3)), c.get(4))
                && !rows.is_empty()
            {
                rows.push((j, n.as_str().to_string(), vec![text.as_str().into()]));
                in_group = false;
            } else if !rows.is_empty() && GROUP.is_match(t) {
                // A group heading of the table ("III. Nâng cao năng lực …") ends the row
                // before it; its lines belong to no row.
                in_group = true;
            } else if in_group {
                // The group heading's next lines.
            } else if let Some(r) = rows.last_mut() {
                if column_of(t).is_some() && t.chars().count() < 25 && r.2.is_empty() {
                    // A stray head between pages.
                } else {
                    r.2.push(t.into());
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
            let cells: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
            for t in row_tasks(&cols, &label, &cells) {
                out.push((line, t));
            }
        }
        i = j.max(i + 1);
    }
    out
}

/// A time cell run into the end of the cell before it ("… thể chế hóa các chủ Tháng
/// 5/2026", "Văn bản chỉ đạo Thường xuyên"), as a PDF puts the two side by side: the
/// time's capital letter, inside a cell, starts the next one.
static TRAILING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(.*\S)\s+((?:Tháng|Quý)\s+(?:\d{1,2}|[IV]{1,3})/\d{4}|(?:Nhiệm vụ thường|Thường) xuyên|H[ằà]ng năm)$",
    )
    .expect("static regex")
});

/// The tasks of one row. A row printed as two sub-rows, each with its product and time
/// ("Báo cáo chuyên đề … Tháng 5/2026" then "Báo cáo kết quả … Tháng 11/2026" under one
/// task name), is two tasks: the work has two deadlines for two parts of it (NĐ
/// 30/2020/NĐ-CP, Phụ lục III: a table row per product; domain guide §3.6).
fn row_tasks(cols: &[Col], label: &str, cells: &[&str]) -> Vec<Task> {
    if let Some(out) = dash_rows(cols, label, cells) {
        return out;
    }
    let mut split: Vec<&str> = Vec::with_capacity(cells.len());
    for c in cells {
        match TRAILING_TIME.captures(c) {
            Some(m) if cols.contains(&Col::Time) => {
                split.extend([
                    m.get(1).map_or("", |x| x.as_str()),
                    m.get(2).map_or("", |x| x.as_str()),
                ]);
            }
            _ => split.push(c),
        }
    }
    let times: Vec<usize> = (2..split.len())
        .filter(|&p| split[p].chars().count() <= 30 && is_time(split[p]))
        .collect();
    let deadlines: Vec<_> = times.iter().map(|&p| table_time(split[p]).0.date).collect();
    let distinct =
        deadlines.iter().all(Option::is_some) && deadlines.windows(2).all(|w| w[0] != w[1]);
    if !cols.contains(&Col::Time) || times.len() < 2 || !distinct {
        return row_task(cols, label, &split).into_iter().collect();
    }
    let Some(first) = row_task(cols, label, &split[..=times[0]]) else {
        return Vec::new();
    };
    let lead_folded: Vec<String> = first.lead.iter().map(|l| fold(l)).collect();
    let mut out = Vec::new();
    let mut from = 0;
    for (k, &p) in times.iter().enumerate() {
        // The sub-row's product: its lines that name no body and cite no document, or what
        // follows the bodies on a line that runs the two together.
        let product: Vec<&str> = split[from..p]
            .iter()
            .skip(if k == 0 { 1 } else { 0 })
            .filter_map(|l| {
                if starts_like_body(l) {
                    let b = without_product(l);
                    let rest = l[b.len()..].trim();
                    return (!rest.is_empty()).then_some(rest);
                }
                let f = fold(l);
                let cites = [
                    "chuong trinh so",
                    "nghi quyet so",
                    "nghi dinh so",
                    "quyet dinh so",
                ]
                .iter()
                .any(|c| f.starts_with(c))
                    || l.starts_with(|c: char| c.is_ascii_digit())
                    || l.contains('/') && l.split_whitespace().count() <= 2;
                (k > 0 && !cites && !lead_folded.contains(&f)).then_some(*l)
            })
            .collect();
        let mut t = first.clone();
        let (d, recurrence) = table_time(split[p]);
        t.deadline = d.date;
        t.deadline_text = d.text;
        t.recurrence = recurrence;
        if !product.is_empty() {
            t.content = squash(&format!("{} — {}", first.content, product.join(" ")));
        }
        t.source = Some(format!("Phụ lục, mục {label}, dòng {}", k + 1));
        out.push(t);
        from = p + 1;
    }
    out
}

/// A row whose work is split into dashes, each with its own lead ("Hoàn thiện hệ thống tiêu
/// chuẩn … đối với hệ thống cơ sở hạ tầng …" / "- Công trình đê điều …" / "Bộ NN&MT" / "Bộ
/// Khoa học và Công nghệ, …" / "Năm 2026 …" / "- Công trình giao thông." / "Bộ Xây dựng" /
/// …): one task per dash, the work and its part together; a dash without its own
/// coordinators or time shares the first one's (merged cells).
fn dash_rows(cols: &[Col], label: &str, cells: &[&str]) -> Option<Vec<Task>> {
    let dashes: Vec<usize> = (1..cells.len())
        .filter(|&i| cells[i].starts_with("- ") || cells[i].starts_with("– "))
        .collect();
    if dashes.len() < 2 || starts_like_body(cells[0]) {
        return None;
    }
    // Each dash must be followed by a body (its lead), or it is a list inside the work.
    if !dashes
        .iter()
        .all(|&d| cells.get(d + 1).is_some_and(|c| starts_like_body(c)))
    {
        return None;
    }
    let head = squash(&cells[..dashes[0]].join(" "));
    let mut out: Vec<Task> = Vec::new();
    for (k, &d) in dashes.iter().enumerate() {
        let end = dashes.get(k + 1).copied().unwrap_or(cells.len());
        let part = cells[d].trim_start_matches(['-', '–', ' ']);
        let content = format!("{head} {part}");
        let mut sub: Vec<&str> = vec![content.as_str()];
        sub.extend(&cells[d + 1..end]);
        let Some(mut t) = row_task(cols, label, &sub) else {
            continue;
        };
        if let Some(first) = out.first() {
            if t.support.is_empty() {
                t.support = first.support.clone();
                t.support
                    .retain(|s| !t.lead.iter().any(|l| fold(l) == fold(s)));
            }
            if t.deadline.is_none() && t.deadline_text.is_none() && t.recurrence.is_none() {
                t.deadline = first.deadline.clone();
                t.deadline_text = first.deadline_text.clone();
                t.recurrence = first.recurrence.clone();
            }
        }
        t.source = Some(format!("Phụ lục, mục {label}, gạch {}", k + 1));
        out.push(t);
    }
    (!out.is_empty()).then_some(out)
}

/// The task of one row: its cells read in column order.
fn row_task(cols: &[Col], label: &str, cells: &[&str]) -> Option<Task> {
    let mut rest: Vec<&str> = cells.to_vec();
    let mut time = String::new();
    // The time cell is the last one, or one of the last few when a column follows it
    // ("Căn cứ bổ sung") or a page break moved a line of another cell after it.
    let after_time = cols.iter().rev().take_while(|c| **c != Col::Time).count();
    if cols.contains(&Col::Time) {
        // A cell's lines cut by a page break land after the time ("… phối hợp" / page head
        // / "doanh nghiệp liên quan"): look a little further back.
        let window = if after_time > 0 { 4 } else { 3 };
        if let Some(p) = (rest.len().saturating_sub(window)..rest.len())
            .rev()
            .find(|&p| p > 1 && is_time(rest[p]))
        {
            time = rest[p].to_string();
            rest.truncate(p);
        }
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
    if cols.contains(&Col::Product) {
        // A product cell run into the bodies' line ("Các bộ, cơ quan ngang bộ Các văn bản
        // quy phạm pháp luật được ban hành"): the bodies end where the product starts.
        for b in &mut bodies {
            *b = without_product(b);
        }
        bodies.retain(|b| !b.trim().is_empty());
    }
    let first = bodies.first()?;
    // The lead and support cells side by side on one line ("Các bộ, cơ quan ngang bộ Bộ
    // Nội vụ"): the second body's name starts without a comma.
    let run_on = if cols.contains(&Col::Support) {
        crate::agency::split_run_on(first)
    } else {
        vec![first.to_string()]
    };
    let lead = parse_agencies(&run_on[0]);
    if lead.is_empty() {
        return None;
    }
    let mut support: Vec<String> = run_on[1..]
        .iter()
        .flat_map(|p| parse_agencies(p))
        .filter(|a| !lead.iter().any(|l| fold(l) == fold(a)))
        .collect();
    if cols.contains(&Col::Support) {
        for b in &bodies[1..] {
            // Lines of other cells a page break moved among the bodies ("Tháng 5/2026",
            // "Chương trình số 12-CTr/BCĐ" of a "Căn cứ" column) name no body.
            if !starts_like_body(b) {
                continue;
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_run_into_the_bodies() {
        assert_eq!(
            without_product(
                "Các bộ, cơ quan ngang bộ Các văn bản quy phạm pháp luật được ban hành"
            ),
            "Các bộ, cơ quan ngang bộ"
        );
        assert_eq!(without_product("Báo cáo hằng năm"), "");
        assert_eq!(without_product("Bộ Tư pháp"), "Bộ Tư pháp");
    }

    #[test]
    fn heads_in_a_markdown_row_over_cells_that_lost_their_grid() {
        let text = "PHỤ LỤC\n| TT | Nội dung hoạt động | Cơ quan chủ trì | Cơ quan phối hợp |\n\
                    | --- | --- | --- | --- |\nThời gian thực hiện\n1\nTổ chức tuyên truyền, phổ \
                    biến Nghị định\na)\nTổ chức Hội nghị phổ biến, triển khai Nghị định.\nCục Lâm \
                    nghiệp và Kiểm lâm\nVụ Pháp chế; các cơ quan, đơn vị có liên quan\nQuý III, \
                    IV/2026\nb)\nTổ chức các chương trình truyền thông.\nSở Nông nghiệp và Môi \
                    trường các tỉnh\nCác cơ quan, đơn vị có liên quan\nThường xuyên\n2.1 Theo dõi, \
                    tổng hợp việc sắp xếp đơn vị sự nghiệp.\nBộ Nội vụ\nCác bộ, cơ quan ngang bộ\n\
                    Thường xuyên";
        let lines = crate::layout::logical_lines(text);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let t = tasks(&lines, 0);
        let leads: Vec<_> = t.iter().map(|(_, t)| t.lead.clone()).collect();
        assert_eq!(
            leads,
            [
                vec!["Cục Lâm nghiệp và Kiểm lâm".to_string()],
                vec!["Sở Nông nghiệp và Môi trường các tỉnh".to_string()],
                vec!["Bộ Nội vụ".to_string()],
            ],
            "{t:#?}"
        );
        assert_eq!(t[0].1.deadline.as_deref(), Some("2026-12-31"));
    }

    #[test]
    fn a_row_split_into_dashes_with_their_own_leads() {
        use Col::*;
        let cols = [Number, Content, Lead, Support, Time];
        let cells = [
            "Hoàn thiện hệ thống tiêu chuẩn, quy chuẩn kỹ thuật đối với hệ thống cơ sở hạ tầng.",
            "- Công trình đê điều, hồ đập, công trình thoát lũ.",
            "Bộ NN&MT",
            "Bộ Khoa học và Công nghệ, các bộ, cơ quan",
            "Năm 2026 và các năm tiếp theo",
            "- Công trình giao thông.",
            "Bộ Xây dựng",
        ];
        let t = row_tasks(&cols, "4", &cells);
        assert_eq!(t.len(), 2, "{t:#?}");
        assert!(t[1].content.ends_with("Công trình giao thông."), "{t:#?}");
        assert_eq!(t[1].lead, ["Bộ Xây dựng"]);
        assert_eq!(t[1].deadline.as_deref(), Some("2026-12-31"));
        assert_eq!(t[1].recurrence.as_deref(), Some("yearly"));
        assert!(!t[1].support.is_empty(), "{t:#?}");
    }

    #[test]
    fn a_row_of_two_sub_rows_is_two_tasks() {
        use Col::*;
        let cols = [Number, Content, Lead, Support, Product, Time, Other];
        let cells = [
            "Thể chế hóa các chủ trương về phát triển kinh tế tư nhân",
            "Bộ Tài chính",
            "Các bộ, cơ quan ngang bộ Báo cáo chuyên đề về cơ chế, chính sách Tháng 02/2026",
            "Chương trình số 12-",
            "CTr/BCĐ",
            "Bộ Tài chính",
            "Các bộ, cơ quan ngang bộ Báo cáo kết quả thể chế hóa",
            "Tháng 11/2026",
            "Chương trình số 12-",
            "CTr/BCĐ",
        ];
        let t = row_tasks(&cols, "16", &cells);
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0].deadline.as_deref(), Some("2026-02-28"));
        assert_eq!(t[1].deadline.as_deref(), Some("2026-11-30"));
        assert!(
            t[0].content
                .ends_with("— Báo cáo chuyên đề về cơ chế, chính sách"),
            "{}",
            t[0].content
        );
        assert!(
            t[1].content.ends_with("— Báo cáo kết quả thể chế hóa"),
            "{}",
            t[1].content
        );
        assert_eq!(t[1].lead, vec!["Bộ Tài chính".to_string()]);
        assert_eq!(t[1].support, vec!["Các bộ, cơ quan ngang bộ".to_string()]);
        // One time: one task, as before.
        assert_eq!(row_tasks(&cols, "17", &cells[..5]).len(), 1);
    }

    #[test]
    fn a_time_run_into_the_product_cell() {
        use Col::*;
        let cols = [Number, Content, Lead, Support, Product, Time];
        for (last, recurrence) in [
            ("Văn bản chỉ đạo Thường xuyên", Some("continuous")),
            ("Báo cáo hàng năm Nhiệm vụ thường xuyên", Some("continuous")),
            ("Các văn bản được ban hành Hằng năm", Some("yearly")),
        ] {
            let cells = [
                "Tăng cường chỉ đạo thực hiện",
                "Bộ Y tế",
                "Các bộ, ngành",
                last,
            ];
            let t = row_tasks(&cols, "1", &cells);
            assert_eq!(t.len(), 1);
            assert_eq!(t[0].recurrence.as_deref(), recurrence, "{last}");
        }
    }

    #[test]
    fn a_row_cut_by_a_page_break() {
        let mut cells: Vec<Cow<str>> = vec![
            "Nghiên cứu xây dựng tiêu chuẩn cơ".into(),
            "Bộ Khoa học và".into(),
            "Quý IV/2026".into(),
        ];
        let p = continue_cut(Cut::Content, &mut cells, "sở, tiêu chuẩn quốc gia.");
        assert_eq!(p, Some(Cut::Lead));
        let p = continue_cut(Cut::Lead, &mut cells, "Công nghệ");
        assert_eq!(p, Some(Cut::Rest));
        assert_eq!(cells[1], "sở, tiêu chuẩn quốc gia.");
        assert_eq!(cells[2], "Bộ Khoa học và Công nghệ");
    }
}
