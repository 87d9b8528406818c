//! Field-level precision and recall of read documents against hand-written
//! expectations (fixture tests, `cargo run -p docparse --example score`).

use crate::model::{Document, Signer, Task};
use crate::normalize::fold;
use std::collections::BTreeMap;

/// Counts for one field.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// Field name → counts, in a stable order.
pub type Report = BTreeMap<&'static str, Counts>;

pub const FIELDS: &[&str] = &[
    "number",
    "type",
    "issuer",
    "place",
    "date",
    "subject",
    "signer",
    "recipients",
    "cited_documents",
    "task.content",
    "task.lead",
    "task.support",
    "task.deadline",
    "task.recurrence",
];

/// Comparison key: folded, letters and digits only.
pub fn key(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Abbreviations of body names written both ways in real documents (NĐ 30/2020 allows
/// "UBND" in the body; headers spell names out).
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("mttq", "mat tran to quoc"),
    ("tw", "trung uong"),
    ("tp", "thanh pho"),
    ("bcd", "ban chi dao"),
    ("vpcp", "van phong chinh phu"),
];

/// Comparison key of a body's name: [`key`] with abbreviations spelled out and a leading
/// "các" dropped ("UBND các tỉnh" = "Ủy ban nhân dân các tỉnh").
pub fn agency_key(s: &str) -> String {
    // "Sở Xây dựng tỉnh Gia Lai" and "Sở Xây dựng Gia Lai", "Ủy ban nhân dân Thành phố Hồ
    // Chí Minh" and "Ủy ban nhân dân Hồ Chí Minh" name the same body: the kind of the
    // place inside a name is left out (a name that starts with it keeps it).
    let mut without_kind = String::with_capacity(s.len());
    let mut rest = s;
    while let Some((i, n)) = [" tỉnh ", " thành phố ", " Thành phố ", " Tỉnh "]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
        .filter(|(i, n)| rest[i + n..].starts_with(char::is_uppercase))
        .min()
    {
        without_kind.push_str(&rest[..i]);
        without_kind.push(' ');
        rest = &rest[i + n..];
    }
    without_kind.push_str(rest);
    let f = fold(&without_kind);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i == 0 && *w == "cac" {
            continue;
        }
        match ABBREVIATIONS.iter().find(|(a, _)| a == w) {
            Some((_, full)) => out.extend(full.chars().filter(|c| c.is_alphanumeric())),
            None => out.push_str(w),
        }
    }
    out
}

fn scalar(c: &mut Counts, expected: Option<String>, got: Option<String>) {
    match (expected, got) {
        (Some(e), Some(g)) if e == g => c.tp += 1,
        (Some(_), Some(_)) => {
            c.fp += 1;
            c.fn_ += 1;
        }
        (Some(_), None) => c.fn_ += 1,
        (None, Some(_)) => c.fp += 1,
        (None, None) => {}
    }
}

/// The bodies a list names, each a key: entries split at commas and semicolons, so that
/// "Các bộ, cơ quan ngang bộ" and "Các bộ", "Cơ quan ngang bộ" name the same bodies.
pub fn bodies(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .flat_map(|s| s.split([',', ';']))
        .map(agency_key)
        .filter(|k| !k.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn list(c: &mut Counts, expected: &[String], got: &[String]) {
    let e = bodies(expected);
    let g = bodies(got);
    let tp = e.iter().filter(|x| g.contains(x)).count();
    c.tp += tp;
    c.fn_ += e.len() - tp;
    c.fp += g.iter().filter(|x| !e.contains(x)).count();
}

fn signer_key(s: &Option<Signer>) -> Option<String> {
    s.as_ref().map(|s| {
        format!(
            "{}|{}|{}",
            key(s.name.as_deref().unwrap_or("")),
            key(s.title.as_deref().unwrap_or("")),
            s.authority.as_deref().unwrap_or("")
        )
    })
}

fn words(s: &str) -> Vec<String> {
    let mut w: Vec<String> = fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    w.sort();
    w.dedup();
    w
}

/// Dice coefficient of the word sets of two contents.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return 0.0;
    }
    let common = wa.iter().filter(|w| wb.binary_search(w).is_ok()).count();
    2.0 * common as f64 / (wa.len() + wb.len()) as f64
}

/// Pairs expected and read tasks by content similarity (≥ 0.5), greedily.
pub fn match_tasks(expected: &[Task], got: &[Task]) -> Vec<(usize, usize)> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, e) in expected.iter().enumerate() {
        for (j, g) in got.iter().enumerate() {
            let mut s = similarity(&e.content, &g.content);
            if s >= 0.5 && e.source.is_some() && e.source == g.source {
                s += 0.01; // identical contents ("Đảm bảo trình tự …"): prefer the same row
            }
            if s >= 0.5 {
                cands.push((s, i, j));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (mut ue, mut ug) = (vec![false; expected.len()], vec![false; got.len()]);
    let mut out = Vec::new();
    for (_, i, j) in cands {
        if !ue[i] && !ug[j] {
            ue[i] = true;
            ug[j] = true;
            out.push((i, j));
        }
    }
    out
}

/// Pairs expected and read documents: by number, then by position. Read documents left
/// over are `None` on the expected side.
fn pair_documents(expected: &[Document], got: &[Document]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut used = vec![false; got.len()];
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    for (i, e) in expected.iter().enumerate() {
        let by_number = got
            .iter()
            .enumerate()
            .position(|(j, g)| !used[j] && g.number.is_some() && g.number == e.number);
        // Without a number: the unused document sharing most tasks, then its place in order.
        let by_tasks = || {
            got.iter()
                .enumerate()
                .filter(|(j, _)| !used[*j])
                .map(|(j, g)| (match_tasks(&e.tasks, &g.tasks).len(), j))
                .filter(|(n, _)| *n > 0)
                .max_by_key(|(n, j)| (*n, std::cmp::Reverse(*j)))
                .map(|(_, j)| j)
        };
        let j = by_number
            .or_else(by_tasks)
            .or_else(|| (i < got.len() && !used[i]).then_some(i));
        if let Some(j) = j {
            used[j] = true;
        }
        pairs.push((Some(i), j));
    }
    for (j, u) in used.iter().enumerate() {
        if !u {
            pairs.push((None, Some(j)));
        }
    }
    pairs
}

/// Scores a whole file: documents are paired by number, then by position.
pub fn score(expected: &[Document], got: &[Document]) -> Report {
    let mut r: Report = FIELDS.iter().map(|f| (*f, Counts::default())).collect();
    let empty = Document::default();
    for (i, j) in pair_documents(expected, got) {
        let e = i.map_or(&empty, |i| &expected[i]);
        let g = j.map_or(&empty, |j| &got[j]);
        add_document(&mut r, e, g);
    }
    r
}

/// The figures an acceptance check reads: metadata fields right (both empty counts as
/// right), tasks found and proposed, and, of the tasks found, those with the right lead
/// (same set of bodies), deadline (same date or both none) and recurrence.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub meta_right: usize,
    pub meta_total: usize,
    pub tasks_expected: usize,
    pub tasks_read: usize,
    pub tasks_found: usize,
    pub lead_right: usize,
    pub deadline_right: usize,
    pub recurrence_right: usize,
}

impl Summary {
    pub fn add(&mut self, o: &Summary) {
        self.meta_right += o.meta_right;
        self.meta_total += o.meta_total;
        self.tasks_expected += o.tasks_expected;
        self.tasks_read += o.tasks_read;
        self.tasks_found += o.tasks_found;
        self.lead_right += o.lead_right;
        self.deadline_right += o.deadline_right;
        self.recurrence_right += o.recurrence_right;
    }
    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
    pub fn metadata(&self) -> f64 {
        Self::pct(self.meta_right, self.meta_total)
    }
    pub fn task_recall(&self) -> f64 {
        Self::pct(self.tasks_found, self.tasks_expected)
    }
    pub fn task_precision(&self) -> f64 {
        Self::pct(self.tasks_found, self.tasks_read)
    }
    pub fn lead(&self) -> f64 {
        Self::pct(self.lead_right, self.tasks_found)
    }
    pub fn deadline(&self) -> f64 {
        Self::pct(self.deadline_right, self.tasks_found)
    }
    pub fn recurrence(&self) -> f64 {
        Self::pct(self.recurrence_right, self.tasks_found)
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "metadata {:.1}% ({}/{}) · tasks found {:.1}% ({}/{}) · precision {:.1}% ({} read) · lead {:.1}% · deadline {:.1}% · recurrence {:.1}%",
            self.metadata(),
            self.meta_right,
            self.meta_total,
            self.task_recall(),
            self.tasks_found,
            self.tasks_expected,
            self.task_precision(),
            self.tasks_read,
            self.lead(),
            self.deadline(),
            self.recurrence()
        )
    }
}

fn same_bodies(a: &[String], b: &[String]) -> bool {
    bodies(a) == bodies(b)
}

/// [`Summary`] of one file.
pub fn summarize(expected: &[Document], got: &[Document]) -> Summary {
    let mut s = Summary::default();
    let empty = Document::default();
    for (i, j) in pair_documents(expected, got) {
        let g = j.map_or(&empty, |j| &got[j]);
        s.tasks_read += g.tasks.len();
        let Some(i) = i else { continue };
        let e = &expected[i];
        let k = |v: &Option<String>| v.as_deref().map(key);
        let fields = [
            (e.number.as_deref().map(key), g.number.as_deref().map(key)),
            (k(&e.doc_type), k(&g.doc_type)),
            (
                e.issuer.as_deref().map(agency_key),
                g.issuer.as_deref().map(agency_key),
            ),
            (k(&e.place), k(&g.place)),
            (e.date.clone(), g.date.clone()),
            (k(&e.subject), k(&g.subject)),
            (signer_key(&e.signer), signer_key(&g.signer)),
        ];
        s.meta_total += fields.len();
        s.meta_right += fields.iter().filter(|(a, b)| a == b).count();
        s.tasks_expected += e.tasks.len();
        for (a, b) in match_tasks(&e.tasks, &g.tasks) {
            let (et, gt) = (&e.tasks[a], &g.tasks[b]);
            s.tasks_found += 1;
            s.lead_right += usize::from(same_bodies(&et.lead, &gt.lead));
            s.deadline_right += usize::from(et.deadline == gt.deadline);
            s.recurrence_right += usize::from(et.recurrence == gt.recurrence);
        }
    }
    s
}

fn add_document(r: &mut Report, e: &Document, g: &Document) {
    let k = |s: &Option<String>| s.as_deref().map(key);
    let mut put = |name: &'static str, ev: Option<String>, gv: Option<String>| {
        if let Some(c) = r.get_mut(name) {
            scalar(c, ev, gv);
        }
    };
    put("number", e.number.clone(), g.number.clone());
    put("type", k(&e.doc_type), k(&g.doc_type));
    put(
        "issuer",
        e.issuer.as_deref().map(agency_key),
        g.issuer.as_deref().map(agency_key),
    );
    put("place", k(&e.place), k(&g.place));
    put("date", e.date.clone(), g.date.clone());
    put("subject", k(&e.subject), k(&g.subject));
    put("signer", signer_key(&e.signer), signer_key(&g.signer));
    if let Some(c) = r.get_mut("recipients") {
        list(c, &e.recipients, &g.recipients);
    }
    if let Some(c) = r.get_mut("cited_documents") {
        list(c, &e.cited_documents, &g.cited_documents);
    }
    let m = match_tasks(&e.tasks, &g.tasks);
    if let Some(c) = r.get_mut("task.content") {
        c.tp += m.len();
        c.fn_ += e.tasks.len() - m.len();
        c.fp += g.tasks.len() - m.len();
    }
    let none = Task::default();
    let pair_of_e = |i: usize| m.iter().find(|(a, _)| *a == i).map(|(_, b)| &g.tasks[*b]);
    let matched_g: Vec<usize> = m.iter().map(|(_, b)| *b).collect();
    for (i, et) in e.tasks.iter().enumerate() {
        let gt = pair_of_e(i).unwrap_or(&none);
        if let Some(c) = r.get_mut("task.lead") {
            list(c, &et.lead, &gt.lead);
        }
        if let Some(c) = r.get_mut("task.support") {
            list(c, &et.support, &gt.support);
        }
        if let Some(c) = r.get_mut("task.deadline") {
            scalar(c, et.deadline.clone(), gt.deadline.clone());
        }
        if let Some(c) = r.get_mut("task.recurrence") {
            scalar(c, et.recurrence.clone(), gt.recurrence.clone());
        }
    }
    for (j, gt) in g.tasks.iter().enumerate() {
        if matched_g.contains(&j) {
            continue;
        }
        for (name, n) in [
            ("task.lead", gt.lead.len()),
            ("task.support", gt.support.len()),
            ("task.deadline", usize::from(gt.deadline.is_some())),
            ("task.recurrence", usize::from(gt.recurrence.is_some())),
        ] {
            if let Some(c) = r.get_mut(name) {
                c.fp += n;
            }
        }
    }
}

/// A printable table: field, precision, recall, counts.
pub fn format_report(r: &Report) -> String {
    let mut s = format!(
        "{:<18} {:>9} {:>7}   {:>4} {:>4} {:>4}\n",
        "field", "precision", "recall", "tp", "fp", "fn"
    );
    for f in FIELDS {
        if let Some(c) = r.get(f) {
            s.push_str(&format!(
                "{:<18} {:>8.1}% {:>6.1}%   {:>4} {:>4} {:>4}\n",
                f,
                100.0 * c.precision(),
                100.0 * c.recall(),
                c.tp,
                c.fp,
                c.fn_
            ));
        }
    }
    s
}
