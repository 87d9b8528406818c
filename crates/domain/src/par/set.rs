//! Bộ tiêu chí — a criteria set of the provincial PAR INDEX as data: lĩnh vực → tiêu chí →
//! tiêu chí thành phần, each with its maximum points; the scored items (leaves) with their
//! scoring rule, the source of their score and the evidence they need.
//!
//! Sets are decided by the Chủ tịch UBND tỉnh for each kind of unit (sở, ban, ngành; UBND
//! cấp huyện until 30/6/2025; UBND cấp xã), modelled on the national set of the Bộ Nội vụ
//! (876/QĐ-BNV ngày 10/11/2022 for 2022–2030; 1150/QĐ-BNV and 2948/QĐ-BNV before): the
//! structure and the 100-point scale are those of the national sets (domain.md §8). A set
//! is versioned by the first year it scores; the text of each set cites its decision.
//! Loaded from `data/par/*.yaml` and checked here: every parent's maximum is the sum of
//! its children's, the areas add up to the set's total, rules never give more than the
//! maximum.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::points::Points;
use crate::org::AgencyKind;

/// The kind of unit a set scores (separate rankings per kind, 6219/UBND-KSTT "đối với các
/// Sở, ban, ngành cấp tỉnh, UBND các huyện").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Sở, ban, ngành cấp tỉnh.
    Department,
    /// UBND huyện, thị xã, thành phố (until 30/6/2025).
    District,
    /// UBND xã, phường, đặc khu (the level scored from 1/7/2025).
    Commune,
}

impl UnitKind {
    pub const ALL: [UnitKind; 3] = [UnitKind::Department, UnitKind::District, UnitKind::Commune];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Department => "department",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Department => "Sở, ban, ngành",
            UnitKind::District => "UBND cấp huyện",
            UnitKind::Commune => "UBND cấp xã",
        }
    }

    /// The kind of unit an agency is scored as, if it is scored at all.
    pub fn of_agency(k: AgencyKind) -> Option<UnitKind> {
        match k {
            AgencyKind::SoNganh => Some(UnitKind::Department),
            AgencyKind::UbndHuyen => Some(UnitKind::District),
            AgencyKind::UbndXa => Some(UnitKind::Commune),
            _ => None,
        }
    }
}

/// Where a criterion's score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Source {
    /// Tự đánh giá: the unit scores it with evidence; the appraisal group confirms or
    /// adjusts it.
    #[default]
    #[serde(rename = "self")]
    SelfAssessed,
    /// Điều tra xã hội học (SIPAS and the like): imported by the Sở Nội vụ.
    #[serde(rename = "survey")]
    Survey,
    /// The system knows the answer (tasks, dossiers, procedures, reports): the value is
    /// computed from live data and shown beside the self-assessed one.
    #[serde(rename = "computed")]
    Computed,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Source::SelfAssessed => "Tự đánh giá",
            Source::Survey => "Điều tra xã hội học",
            Source::Computed => "Hệ thống tính",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Source::SelfAssessed => "self",
            Source::Survey => "survey",
            Source::Computed => "computed",
        }
    }
}

/// A figure the system computes for a unit and a year (`Source::Computed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Tasks of the year's directives finished on time, % of those due.
    TasksOnTime,
    /// One-stop dossiers settled on or before their deadline, % of those settled.
    DossiersOnTime,
    /// Dossiers received online, % of those received.
    DossiersOnline,
    /// Dossiers whose result was digitised, % of those settled.
    DossiersDigitised,
    /// Procedures of the unit published in the catalog, % of its procedures.
    ProceduresPublished,
    /// Periodic reports sent by their due date, % of those due.
    ReportsOnTime,
    /// The unit's 766 index (Quyết định 766/QĐ-TTg), in %.
    #[serde(rename = "index_766")]
    Index766,
    /// Rows of the unit's own inspection plans for the year whose month has come that
    /// were carried out, % of those rows (574/KH-UBND III.3: kiểm tra theo kế hoạch).
    InspectionPlanDone,
    /// Findings of inspections charged to the unit (or a unit below it) with a
    /// remediation deadline in the year, remediated by it and verified, % of those
    /// findings ("Xử lý các vấn đề phát hiện qua kiểm tra").
    InspectionFindingsRemediated,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::TasksOnTime,
        Metric::DossiersOnTime,
        Metric::DossiersOnline,
        Metric::DossiersDigitised,
        Metric::ProceduresPublished,
        Metric::ReportsOnTime,
        Metric::Index766,
        Metric::InspectionPlanDone,
        Metric::InspectionFindingsRemediated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Metric::TasksOnTime => "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
            Metric::DossiersOnTime => "Tỷ lệ hồ sơ giải quyết đúng hạn",
            Metric::DossiersOnline => "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
            Metric::DossiersDigitised => "Tỷ lệ số hóa kết quả giải quyết",
            Metric::ProceduresPublished => "Tỷ lệ thủ tục được công bố, công khai",
            Metric::ReportsOnTime => "Tỷ lệ báo cáo gửi đúng hạn",
            Metric::Index766 => "Điểm Bộ chỉ số 766 (%)",
            Metric::InspectionPlanDone => "Tỷ lệ đơn vị được kiểm tra theo kế hoạch",
            Metric::InspectionFindingsRemediated => {
                "Tỷ lệ vấn đề phát hiện qua kiểm tra được khắc phục đúng hạn"
            }
        }
    }
}

/// A named level ("Tốt", "Đạt", "Không đạt") and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub label: String,
    pub points: Points,
}

/// A threshold of a ratio rule: from `min_percent` (inclusive) the item earns `points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    pub min_percent: f64,
    pub points: Points,
}

/// How an item is scored, as the decision's "cách chấm điểm" says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Rule {
    pub kind: RuleKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
    /// Highest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<Threshold>,
    /// The decision's own sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Đạt / không đạt: the maximum or nothing.
    YesNo,
    /// Named levels with their points.
    Levels,
    /// A percentage against thresholds.
    Ratio,
    /// Points given by judgement within 0..=max (deductions described in the text).
    #[default]
    Manual,
}

impl RuleKind {
    pub fn label(self) -> &'static str {
        match self {
            RuleKind::YesNo => "Đạt / không đạt",
            RuleKind::Levels => "Theo mức",
            RuleKind::Ratio => "Theo tỷ lệ",
            RuleKind::Manual => "Chấm theo hướng dẫn",
        }
    }
}

/// A lĩnh vực, tiêu chí or tiêu chí thành phần. A node without `items` is scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub code: String,
    pub title: String,
    pub max: Points,
    #[serde(default)]
    pub source: Source,
    #[serde(default)]
    pub rule: Rule,
    /// Tài liệu kiểm chứng the decision asks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Node>,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.items.is_empty()
    }
}

/// A criteria set for one kind of unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSet {
    /// Stable code, e.g. `NAMDINH_2183_2023_DEPARTMENT`.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub province: Option<String>,
    /// Số hiệu of the approving decision.
    #[serde(default)]
    pub decision: Option<String>,
    /// ISO date of the decision.
    #[serde(default)]
    pub decision_date: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    pub unit_kind: UnitKind,
    /// The first year the set scores.
    pub applies_from_year: i32,
    /// Where the text was read.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub survey_points: Option<Points>,
    pub max_points: Points,
    pub areas: Vec<Node>,
}

/// The reader's message in Vietnamese: the phrases serde writes, translated, the place
/// (field path, line and column) kept.
fn format_error(e: &str) -> String {
    let vi = e
        .replace("missing field", "thiếu trường")
        .replace("unknown field", "trường không có trong mẫu")
        .replace("unknown variant", "giá trị không hợp lệ")
        .replace("expected one of", "cần một trong")
        .replace("invalid type", "sai kiểu dữ liệu")
        .replace("expected", "cần")
        .replace("at line", "ở dòng")
        .replace("column", "cột");
    format!("Tệp bộ tiêu chí không đúng mẫu (data/par/README.md): {vi}.")
}

/// A scored item with the codes and titles above it.
#[derive(Debug, Clone)]
pub struct Leaf<'a> {
    pub node: &'a Node,
    /// The area (lĩnh vực) it belongs to.
    pub area: &'a Node,
    /// Depth from the area (0 when the area itself is scored).
    pub depth: usize,
}

impl CriteriaSet {
    /// Parses and checks a set written in YAML (`data/par/*.yaml`).
    pub fn from_yaml(text: &str) -> Result<CriteriaSet, String> {
        let s: CriteriaSet =
            serde_norway::from_str(text).map_err(|e| format_error(&e.to_string()))?;
        s.check()?;
        Ok(s)
    }

    /// Parses and checks a set stored as JSON (the database copy).
    pub fn from_json(text: &str) -> Result<CriteriaSet, String> {
        let s: CriteriaSet = serde_json::from_str(text).map_err(|e| e.to_string())?;
        s.check()?;
        Ok(s)
    }

    /// Every rule the set must keep, with a Vietnamese message naming the item.
    pub fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() || self.id.len() > 64 {
            return Err("Mã bộ tiêu chí phải có từ 1 đến 64 ký tự.".into());
        }
        if !self
            .id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
        {
            return Err("Mã bộ tiêu chí chỉ gồm chữ in hoa không dấu, chữ số, '_' và '-'.".into());
        }
        if self.title.trim().is_empty() {
            return Err("Bộ tiêu chí chưa có tên.".into());
        }
        if !(2000..=2100).contains(&self.applies_from_year) {
            return Err("Năm áp dụng của bộ tiêu chí không hợp lệ.".into());
        }
        if self.areas.is_empty() {
            return Err("Bộ tiêu chí chưa có lĩnh vực nào.".into());
        }
        let mut seen = HashSet::new();
        for a in &self.areas {
            check_node(a, &mut seen)?;
        }
        let sum: Points = self.areas.iter().map(|a| a.max).sum();
        if sum != self.max_points {
            return Err(format!(
                "Tổng điểm tối đa các lĩnh vực ({}) khác tổng điểm của bộ tiêu chí ({}).",
                sum.vn(),
                self.max_points.vn()
            ));
        }
        if let Some(sp) = self.survey_points {
            let surveyed: Points = self
                .leaves()
                .iter()
                .filter(|l| l.node.source == Source::Survey)
                .map(|l| l.node.max)
                .sum();
            if surveyed != Points::ZERO && surveyed != sp {
                return Err(format!(
                    "Tổng điểm các tiêu chí điều tra xã hội học ({}) khác số điểm điều tra đã khai ({}).",
                    surveyed.vn(),
                    sp.vn()
                ));
            }
        }
        Ok(())
    }

    /// The scored items, in the decision's order.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        fn walk<'a>(n: &'a Node, area: &'a Node, depth: usize, out: &mut Vec<Leaf<'a>>) {
            if n.is_leaf() {
                out.push(Leaf {
                    node: n,
                    area,
                    depth,
                });
            } else {
                for c in &n.items {
                    walk(c, area, depth + 1, out);
                }
            }
        }
        let mut out = Vec::new();
        for a in &self.areas {
            walk(a, a, 0, &mut out);
        }
        out
    }

    /// Every node, parents before children, with its depth (0 = area).
    pub fn nodes(&self) -> Vec<(&Node, usize)> {
        fn walk<'a>(n: &'a Node, depth: usize, out: &mut Vec<(&'a Node, usize)>) {
            out.push((n, depth));
            for c in &n.items {
                walk(c, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        for a in &self.areas {
            walk(a, 0, &mut out);
        }
        out
    }

    /// The node with this code.
    pub fn find(&self, code: &str) -> Option<&Node> {
        self.nodes()
            .into_iter()
            .map(|(n, _)| n)
            .find(|n| n.code == code)
    }

    /// The scored item with this code.
    pub fn leaf(&self, code: &str) -> Option<Leaf<'_>> {
        self.leaves().into_iter().find(|l| l.node.code == code)
    }

    /// (areas, criteria, sub-criteria): nodes at depth 0, 1 and 2 or more.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for (_, d) in self.nodes() {
            match d {
                0 => c.0 += 1,
                1 => c.1 += 1,
                _ => c.2 += 1,
            }
        }
        c
    }
}

fn check_node(n: &Node, seen: &mut HashSet<String>) -> Result<(), String> {
    let code = n.code.trim();
    if code.is_empty() || code.len() > 32 {
        return Err(format!("Mã tiêu chí “{}” không hợp lệ.", n.code));
    }
    if !seen.insert(code.to_string()) {
        return Err(format!("Mã tiêu chí {code} bị trùng."));
    }
    if n.title.trim().is_empty() {
        return Err(format!("Tiêu chí {code} chưa có tên."));
    }
    if n.is_leaf() {
        return check_rule(n);
    }
    let sum: Points = n.items.iter().map(|c| c.max).sum();
    if sum != n.max {
        return Err(format!(
            "Tiêu chí {code}: điểm tối đa {} khác tổng điểm các tiêu chí con ({}).",
            n.max.vn(),
            sum.vn()
        ));
    }
    for c in &n.items {
        check_node(c, seen)?;
    }
    Ok(())
}

fn check_rule(n: &Node) -> Result<(), String> {
    let code = &n.code;
    if n.source == Source::Computed && n.metric.is_none() {
        return Err(format!(
            "Tiêu chí {code} do hệ thống tính nhưng chưa nêu số liệu (metric)."
        ));
    }
    let over = |p: Points| p > n.max;
    match n.rule.kind {
        RuleKind::YesNo | RuleKind::Manual => {}
        RuleKind::Levels => {
            if n.rule.levels.is_empty() {
                return Err(format!(
                    "Tiêu chí {code} chấm theo mức nhưng chưa có mức nào."
                ));
            }
            let mut labels = HashSet::new();
            for l in &n.rule.levels {
                if l.label.trim().is_empty() || !labels.insert(l.label.trim()) {
                    return Err(format!("Tiêu chí {code}: tên mức trống hoặc trùng."));
                }
                if over(l.points) {
                    return Err(format!(
                        "Tiêu chí {code}: mức “{}” cho {} điểm, quá điểm tối đa {}.",
                        l.label,
                        l.points.vn(),
                        n.max.vn()
                    ));
                }
            }
        }
        RuleKind::Ratio => {
            if n.rule.thresholds.is_empty() {
                return Err(format!(
                    "Tiêu chí {code} chấm theo tỷ lệ nhưng chưa có ngưỡng nào."
                ));
            }
            let mut prev: Option<f64> = None;
            for t in &n.rule.thresholds {
                if !(0.0..=100.0).contains(&t.min_percent) {
                    return Err(format!("Tiêu chí {code}: ngưỡng tỷ lệ phải từ 0 đến 100."));
                }
                if prev.is_some_and(|p| t.min_percent >= p) {
                    return Err(format!(
                        "Tiêu chí {code}: các ngưỡng tỷ lệ phải xếp từ cao xuống thấp."
                    ));
                }
                if over(t.points) {
                    return Err(format!(
                        "Tiêu chí {code}: ngưỡng {}% cho {} điểm, quá điểm tối đa {}.",
                        t.min_percent,
                        t.points.vn(),
                        n.max.vn()
                    ));
                }
                prev = Some(t.min_percent);
            }
        }
    }
    Ok(())
}
