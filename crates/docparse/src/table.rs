//! Task tables of plan appendices (domain guide §3.6 item 4): STT | Lĩnh vực/Tiêu
//! chí | Giải pháp | Cơ quan chủ trì thực hiện | Cơ quan phối hợp | Thời gian thực
//! hiện | Ghi chú. Rows arrive one per line with cells separated by tabs or " | ";
//! the header repeats on every page and a cell cut by a page break continues on a
//! row without STT ("Bộ phận Tiếp" / "nhận và Trả kết quả các cấp", seed: 574).

use crate::agency::parse_agencies;
use crate::deadline::table_time;
use crate::model::Task;
use crate::normalize::{fold, squash};

/// Whether a line is a table row.
pub fn is_row(line: &str) -> bool {
    line.contains('\t') || line.contains(" | ") || line.trim_start().starts_with("| ")
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim_end();
    let t = t.strip_prefix("| ").unwrap_or(t);
    let t = t.strip_suffix(" |").unwrap_or(t);
    let parts: Vec<&str> = if t.contains('\t') {
        t.split('\t').collect()
    } else {
        t.split(" | ").collect()
    };
    parts.into_iter().map(squash).collect()
}

#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    stt: Option<usize>,
    area: Option<usize>,
    content: Option<usize>,
    lead: Option<usize>,
    support: Option<usize>,
    time: Option<usize>,
}

fn header_columns(cells: &[String]) -> Option<Columns> {
    let mut c = Columns::default();
    let mut content_rank = 0;
    for (i, cell) in cells.iter().enumerate() {
        let f = fold(cell);
        if f == "stt" || f == "tt" || f == "so tt" {
            c.stt = Some(i);
        } else if f.contains("chu tri") {
            c.lead = Some(i);
        } else if f.contains("phoi hop") {
            c.support = Some(i);
        } else if f.contains("thoi gian") || f.contains("thoi han") || f.contains("tien do") {
            c.time = Some(i);
        } else if performer(&f) {
            // "Đơn vị thực hiện", "Cơ quan thực hiện" beside "Đơn vị phối hợp": the lead.
            c.lead = Some(i);
        } else if f.starts_with("thuoc nhom") || f.starts_with("nhom nhiem vu") {
            // "Thuộc nhóm nhiệm vụ, hành động": the group a row's work belongs to.
            c.area = Some(i);
        } else if f.contains("giai phap")
            || f.contains("noi dung")
            || f.contains("nhiem vu")
            || f.starts_with("chi tieu")
            // "Tên đề án ưu tiên", "Tên nhiệm vụ": the work named.
            || f.starts_with("ten ")
        {
            // ("Chỉ tiêu" beside "Chủ trì": a target given to the body that leads it; beside
            // "Nội dung nhiệm vụ", what the work must reach.)
            // ("Tên dự án, nhiệm vụ" beside "Nội dung chính": the name is the work, the
            // content describes it.)
            let rank = if f.starts_with("ten ") {
                3
            } else if f.starts_with("chi tieu") {
                1
            } else {
                2
            };
            if rank > content_rank {
                c.content = Some(i);
                content_rank = rank;
            }
        } else if proposer(&f) {
            // "Tỉnh kiến nghị", "Địa phương đề xuất": who asked, not who acts.
        } else if f.contains("phu trach") || f.contains("tiep nhan, xu ly") {
            // "Bộ phụ trách tiếp nhận, xử lý": the body that answers the row.
            c.lead = Some(i);
        } else if f.contains("de xuat") || f.contains("kien nghi") || f.contains("vuong mac") {
            // "Thông tin đề xuất", "Nội dung kiến nghị": the work asked for.
            c.content = Some(i);
        } else if f.contains("linh vuc") || f.contains("tieu chi") {
            c.area = Some(i);
        }
    }
    (c.stt.is_some() && c.lead.is_some() && (c.content.is_some() || c.area.is_some())).then_some(c)
}

/// A column of the bodies that carry the row out, named without "chủ trì": "Đơn vị thực
/// hiện", "Cơ quan thực hiện", "Cơ quan, đơn vị thực hiện" (folded).
pub(crate) fn performer(f: &str) -> bool {
    (f.contains("don vi") || f.contains("co quan") || f.contains("bo phan"))
        && f.contains("thuc hien")
        && !f.contains("phoi hop")
        && !f.contains("thoi gian")
}

/// The column of a table of proposals that names who proposed ("Tỉnh kiến nghị", "Địa
/// phương đề xuất", "Đơn vị kiến nghị").
fn proposer(f: &str) -> bool {
    ["tinh ", "dia phuong", "don vi ", "co quan "]
        .iter()
        .any(|w| f.starts_with(w))
        && (f.contains("kien nghi") || f.contains("de xuat") || f.contains("de nghi"))
}

struct Row {
    label: String,
    cells: Vec<String>,
    line: usize,
    /// The columns of the table the row is in (an appendix may hold two tables).
    cols: Columns,
}

fn get(cells: &[String], i: Option<usize>) -> &str {
    i.and_then(|i| cells.get(i)).map_or("", |s| s.as_str())
}

/// Tasks from the table rows among `lines` (index, text). `appendix` says whether
/// the table sits in an appendix ("Phụ lục").
pub fn table_tasks(lines: &[(usize, &str)], appendix_from: Option<usize>) -> Vec<(usize, Task)> {
    let mut cols: Option<Columns> = None;
    let mut head_len = 0usize;
    let mut rows: Vec<Row> = Vec::new();
    // The number column's head printed alone before the row of the others ("STT" / "| Tên
    // dự án, nhiệm vụ | Nội dung chính | Cơ quan chủ trì | …|").
    let mut number_head = false;
    for (idx, line) in lines {
        if !crate::budget::go_on() {
            break;
        }
        if !is_row(line) {
            let f = fold(line.trim());
            if !f.is_empty() {
                number_head = f == "stt" || f == "tt";
            }
            continue;
        }
        let mut cs = cells(line);
        if number_head && header_columns(&cs).is_none() {
            let mut with = vec!["STT".to_string()];
            with.extend(cs.iter().cloned());
            if header_columns(&with).is_some() {
                cs = with;
            }
        }
        number_head = false;
        if let Some(h) = header_columns(&cs) {
            cols = Some(h);
            head_len = cs.len();
            continue;
        }
        let Some(c) = cols else { continue };
        // A sub-row of dashes under a row whose bodies and group are merged cells ("| -
        // Rà soát, cập nhật … | - Bộ công cụ … | Ban hành trong năm 2026 |" under "| 1 | Bộ
        // Nông nghiệp và Môi trường | … | - Hoàn thiện Nghị định … |"): its cells start at
        // the work's.
        if let Some(ci) = c.content
            && ci > 0
            && cs.len() + ci <= head_len
            && get(&cs, Some(0)).starts_with("- ")
            && !rows.is_empty()
        {
            for _ in 0..ci {
                cs.insert(0, String::new());
            }
        }
        // A sub-row whose merged cells the copy dropped ("| Ủy ban nhân dân các tỉnh … | Đài
        // Truyền hình … |" under a row of five cells): its first cell is the lead's.
        if let Some(li) = c.lead
            && li > 0
            && cs.len() <= 2
            && cs.len() + li <= head_len
            && crate::agency::starts_like_body(get(&cs, Some(0)))
            && !rows.is_empty()
        {
            for _ in 0..li {
                cs.insert(0, String::new());
            }
        }
        // A web copy's flattened table loses an empty number cell at a row's start ("|" /
        // "|" / "Xây dựng hạ tầng kỹ thuật dự phòng …"): a sentence where the number goes is
        // the next cell's, the number cell empty.
        // A row that lost its empty number cell under a group row ("| H. | BỘ TÀI CHÍNH |" /
        // "| Bộ Tài chính | - Bộ Xây dựng; … | … |"): one cell short, the lead's first.
        if c.stt == Some(0)
            && c.lead == Some(1)
            && cs.len() + 1 == head_len
            && crate::agency::starts_like_body(get(&cs, Some(0)))
            && !rows.is_empty()
        {
            cs.insert(0, String::new());
        } else if let Some(si) = c.stt
            && si == 0
            && get(&cs, Some(si)).chars().count() > 12
            && get(&cs, Some(si)).starts_with(|ch: char| ch.is_uppercase())
            && !crate::agency::starts_like_body(get(&cs, Some(si)))
            && !rows.is_empty()
        {
            cs.insert(si, String::new());
        }
        let stt = get(&cs, c.stt).trim_end_matches('.').to_string();
        // A row of two sub-rows under one number ("1 | Xây dựng hạ tầng … | Trung tâm … |
        // Sở … | Quý IV/2026" then " | Xây dựng hạ tầng kỹ thuật dự phòng … | Trung tâm …"):
        // a task of its own, sharing the merged cells (support, time) of the row above.
        // So too a sub-row that gives the same work to another body with its own
        // coordinators ("| | Ủy ban nhân dân các tỉnh … | Đài Truyền hình … | |" under "1 |
        // Đề án … | Trung ương Mặt trận Tổ quốc Việt Nam | Bộ, cơ quan ngang bộ … | 2030").
        let new_work = |cs: &[String]| {
            let content = get(cs, c.content);
            let lead = get(cs, c.lead);
            let support = get(cs, c.support);
            (crate::agency::starts_like_body(lead)
                && (content.starts_with(|ch: char| ch.is_uppercase())
                    || content.is_empty() && crate::agency::starts_like_body(support)))
                || lead.is_empty() && content.starts_with("- ")
        };
        if stt.is_empty()
            && new_work(&cs)
            && let Some(prev) = rows.last()
            && !get(&prev.cells, c.content).is_empty()
        {
            let mut cells = prev.cells.clone();
            for (i, cell) in cs.iter().enumerate() {
                if cells.len() <= i {
                    cells.resize(i + 1, String::new());
                }
                if !cell.is_empty() {
                    cells[i] = cell.clone();
                }
            }
            let label = prev.label.clone();
            rows.push(Row {
                label,
                cells,
                line: *idx,
                cols: c,
            });
            continue;
        }
        if stt.is_empty() {
            // A cell continued after a page break: append to the previous row.
            if let Some(prev) = rows.last_mut() {
                for (i, cell) in cs.iter().enumerate() {
                    if cell.is_empty() {
                        continue;
                    }
                    if prev.cells.len() <= i {
                        prev.cells.resize(i + 1, String::new());
                    }
                    let target = &mut prev.cells[i];
                    if !target.is_empty() {
                        target.push(' ');
                    }
                    target.push_str(cell);
                }
            }
            continue;
        }
        if !stt.starts_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        rows.push(Row {
            label: stt,
            cells: cs,
            line: *idx,
            cols: c,
        });
    }
    let mut out = Vec::new();
    for r in rows {
        if !crate::budget::go_on() {
            break;
        }
        let c = r.cols;
        let content = {
            let s = get(&r.cells, c.content);
            if s.is_empty() {
                get(&r.cells, c.area)
            } else {
                s
            }
        };
        let lead_text = get(&r.cells, c.lead);
        // A group row ("3 CẢI CÁCH THỦ TỤC HÀNH CHÍNH") names a reform area only.
        if lead_text.is_empty() && get(&r.cells, c.content).is_empty() {
            continue;
        }
        if content.is_empty() {
            continue;
        }
        let lead = split_cell(lead_text);
        let mut support = split_cell(get(&r.cells, c.support));
        support.retain(|s| !lead.iter().any(|l| fold(l) == fold(s)));
        let (d, recurrence) = table_time(get(&r.cells, c.time));
        let source = match appendix_from {
            Some(a) if r.line > a => format!("Phụ lục, mục {}", r.label),
            _ => format!("bảng, mục {}", r.label),
        };
        out.push((
            r.line,
            Task {
                content: content.trim_start_matches("- ").to_string(),
                lead,
                support,
                deadline: d.date,
                deadline_text: d.text,
                recurrence,
                source: Some(source),
            },
        ));
    }
    out
}

fn split_cell(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in cell.split(';') {
        // "Sở KH&CN chủ trì hướng dẫn, tổng hợp", "Sở Khoa học và Công nghệ thúc đẩy, theo
        // dõi, báo cáo chỉ tiêu": a cell that says what its body does names the body
        // before the verb.
        // (A bare name, of few words, says nothing more: no need to look for a verb.)
        let subject = if part.split_whitespace().count() > 4 {
            crate::agency::sentence_subject(part)
        } else {
            Vec::new()
        };
        let named: usize = subject.iter().map(|s| s.len()).sum();
        // ("Các đơn vị được giao xây dựng hồ sơ công bố TTHC" is a role: its verbs name it.)
        let role = part.contains(" được giao") || part.contains(" được phân công");
        let found = if !subject.is_empty() && !role && named + 12 < part.trim().len() {
            subject
        } else {
            parse_agencies(part)
        };
        for a in found {
            if !out.iter().any(|o| fold(o) == fold(&a)) {
                out.push(a);
            }
        }
    }
    out
}

/// The rows of an appendix table with no time column take the time of the point that
/// sends to the appendix ("… giải quyết, xử lý các kiến nghị … (Phụ lục kèm theo), hoàn
/// thành trước ngày 15/12/2025"): the work the rows list is that point's, due together.
/// `body` holds the paragraphs of the main text (a point that sends to the appendix may
/// name no body: its rows do).
pub(crate) fn appendix_deadline(tasks: &mut [(usize, Task)], body: &[String]) {
    let from_appendix = |t: &Task| {
        t.source
            .as_deref()
            .is_some_and(|s| s.starts_with("Phụ lục"))
    };
    if !tasks.iter().any(|(_, t)| from_appendix(t)) {
        return;
    }
    let mut points = body.iter().filter_map(|p| {
        let f = fold(p);
        let sends = [
            "(phu luc kem theo)",
            "tai phu luc",
            "(phu luc)",
            "theo phu luc",
        ]
        .iter()
        .any(|w| f.contains(w));
        // Only a point that sends to the appendix is read for its time.
        let d = sends.then(|| crate::deadline::find_deadline(p))?;
        d.date.is_some().then_some(d)
    });
    let Some(d) = points.next() else { return };
    // Two points that send to the appendix with their own times: which rows are whose is
    // not said.
    if points.next().is_some() {
        return;
    }
    let (date, text) = (d.date, d.text);
    for (_, t) in tasks.iter_mut() {
        if from_appendix(t) && t.deadline.is_none() && t.recurrence.is_none() {
            t.deadline = date.clone();
            t.deadline_text = text.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_row_that_lost_its_merged_cells_gives_the_work_to_another_body() {
        let lines = [
            "| TT | Tên đề án ưu tiên | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành |",
            "| 1 | Đề án triển khai phong trào toàn dân tham gia bảo vệ môi trường | Trung ương Mặt trận Tổ quốc Việt Nam | Bộ, cơ quan ngang bộ | 2030 |",
            "| Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương | Đài Truyền hình và các cơ quan thông tấn, báo chí tại địa phương |",
        ];
        let lines: Vec<(usize, &str)> = lines.iter().copied().enumerate().collect();
        let t = table_tasks(&lines, Some(0));
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[1].1.content, t[0].1.content);
        assert_eq!(
            t[1].1.lead,
            ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]
        );
        assert_eq!(t[1].1.deadline.as_deref(), Some("2030-12-31"));
    }

    #[test]
    fn a_performer_column_is_the_lead() {
        let lines = [
            "STT | Nhiệm vụ, giải pháp | Đơn vị thực hiện | Đơn vị phối hợp | Thời gian thực hiện",
            "1 | Rà soát các quy định về kinh tế số | Sở Tư pháp | Các sở, ban, ngành | 2026 - 2030",
        ];
        let lines: Vec<(usize, &str)> = lines.iter().copied().enumerate().collect();
        let t = table_tasks(&lines, Some(0));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].1.lead, ["Sở Tư pháp"]);
        assert_eq!(t[0].1.support, ["Các Sở, ban, ngành"]);
        assert_eq!(t[0].1.deadline.as_deref(), Some("2030-12-31"));
        // Targets given to a body; a lead cell that says what the body does.
        let lines = [
            "TT | Chỉ tiêu | Chủ trì",
            "1 | Tỷ lệ doanh nghiệp ứng dụng công nghệ số đạt 60% | Sở Khoa học và Công nghệ thúc đẩy, theo dõi, báo cáo chỉ tiêu",
            "2 | Hồ sơ công bố thủ tục hành chính | Các đơn vị được giao xây dựng hồ sơ công bố TTHC",
        ];
        let lines: Vec<(usize, &str)> = lines.iter().copied().enumerate().collect();
        let t = table_tasks(&lines, Some(0));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].1.lead, ["Sở Khoa học và Công nghệ"]);
        assert_eq!(
            t[1].1.lead,
            ["Các đơn vị được giao xây dựng hồ sơ công bố TTHC"]
        );
        // A row of two sub-rows: the second shares the merged support and time; a web
        // copy lost its empty number cell.
        let lines = [
            "STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian",
            "1 | Xây dựng hạ tầng công nghệ thông tin | Trung tâm Chuyển đổi số | Sở Khoa học và Công nghệ | Quý IV/2026",
            "| Xây dựng hạ tầng kỹ thuật dự phòng | Trung tâm Chuyển đổi số |",
            "Bố trí nhân lực vận hành hệ thống | Sở Tài chính",
        ];
        let lines: Vec<(usize, &str)> = lines.iter().copied().enumerate().collect();
        let t = table_tasks(&lines, Some(0));
        assert_eq!(t.len(), 3, "{t:#?}");
        assert_eq!(t[1].1.support, ["Sở Khoa học và Công nghệ"]);
        assert_eq!(t[1].1.deadline.as_deref(), Some("2026-12-31"));
        assert_eq!(t[2].1.lead, ["Sở Tài chính"]);
        assert!(performer("co quan, don vi thuc hien"));
        assert!(!performer("don vi phoi hop thuc hien"));
        assert!(!performer("thoi gian thuc hien"));
    }
}
