//! Thuộc tính của nhiệm vụ — the lines that describe an item of a plan rather than add
//! work to it: "- Đơn vị chủ trì: Vụ Pháp luật quốc tế.", "- Cơ quan phối hợp: …",
//! "- Thời gian thực hiện: Quý I/2015.", "- Sản phẩm: …" (plans of ministries and
//! provinces set their tasks out this way when they have no appendix table).

use crate::agency::parse_agencies;
use crate::deadline::table_time;
use crate::model::Task;
use crate::normalize::fold;
use regex::Regex;
use std::sync::LazyLock;

static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:đơn vị|cơ quan|bộ phận)\s+(?:chủ trì|thực hiện|phối hợp|tham mưu)|chủ trì(?:\s+thực hiện)?|phối hợp(?:\s+thực hiện)?|thời gian(?:\s+(?:thực hiện|hoàn thành))?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|sản phẩm|kết quả(?:\s+đầu ra)?)[^:]{0,40}:")
        .expect("static regex")
});

/// Whether a line only describes its item.
pub fn is_attribute(line: &str) -> bool {
    ATTRIBUTE.is_match(line.trim())
}

/// What the attribute lines of one item say.
#[derive(Debug, Default)]
pub struct Attributes {
    pub lead: Vec<String>,
    pub support: Vec<String>,
    pub time: Option<String>,
}

/// Reads attribute lines ("Cơ quan chủ trì: Sở Nội vụ; cơ quan phối hợp: …" may hold
/// several).
pub fn read(lines: &[&str]) -> Attributes {
    let mut a = Attributes::default();
    for l in lines {
        for part in l.split(';') {
            let Some((key, value)) = part.split_once(':') else {
                continue;
            };
            let k = fold(key);
            let value = value.trim().trim_end_matches('.').trim();
            if value.is_empty() {
                continue;
            }
            if k.contains("chu tri")
                || k.contains("thuc hien")
                    && !["thoi gian", "thoi han", "tien do"]
                        .iter()
                        .any(|w| k.contains(w))
                || k.contains("tham muu")
            {
                // "Sở X chủ trì, phối hợp với Y; Z": the lead before "chủ trì", the rest
                // supports.
                match value.find("chủ trì") {
                    Some(i) if i > 0 => {
                        a.lead.extend(parse_agencies(&value[..i]));
                        a.support.extend(crate::agency::support_agencies(value));
                    }
                    _ => a.lead.extend(parse_agencies(value)),
                }
            } else if k.contains("phoi hop") {
                a.support.extend(parse_agencies(value));
            } else if k.contains("thoi gian") || k.contains("thoi han") || k.contains("tien do") {
                a.time = Some(value.to_string());
            }
        }
    }
    a
}

impl Attributes {
    /// Puts the attributes on a task: the lead and supporters named, and the time.
    pub fn apply(&self, t: &mut Task) {
        if !self.support.is_empty() {
            t.support = self
                .support
                .iter()
                .filter(|s| !t.lead.iter().any(|l| fold(l) == fold(s)))
                .cloned()
                .collect();
        }
        if let Some(time) = &self.time {
            let (d, rec) = table_time(time);
            if d.date.is_some() || rec.is_some() {
                t.deadline = d.date;
                t.deadline_text = d.text;
                t.recurrence = rec;
            }
        }
    }
}
