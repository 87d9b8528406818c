//! Đối chiếu tên cơ quan — agency names in free text (directives, imported tables) matched
//! to the registry, "with a choice when the match is unsure".
//!
//! Names are folded (no diacritics, lower case), abbreviations expanded ("UBND", "Sở
//! TN&MT"), a leading head title dropped ("Giám đốc Sở Y tế" → the Sở: the assignee is the
//! agency, domain guide §3.6 item 6), a trailing "tỉnh (Nghệ An)" dropped, and a
//! parenthesis read as a sub-unit ("Văn phòng UBND tỉnh (Cổng Thông tin điện tử)").
//! Only agencies valid on the date of the text count (domain guide §2, agency history):
//! a 2023 directive's "Sở Kế hoạch và Đầu tư" is that department, in 2026 it is nobody.
//! Collective addressees fan out to every agency of their kind valid that day.

use crate::text::fold_vi;
use chrono::NaiveDate;

/// One version of an agency, as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRef {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    /// `AgencyKind` code: ubnd_tinh, so_nganh, ubnd_huyen, ubnd_xa, don_vi_truc_thuoc,
    /// trung_tam_phvhcc, ban_chi_dao.
    pub kind: String,
    pub valid_from: NaiveDate,
    /// Last day of validity, inclusive; None while the agency exists.
    pub valid_to: Option<NaiveDate>,
}

impl AgencyRef {
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// What a name in a text refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// One agency, sure enough to assign without asking.
    Exact(i64),
    /// A collective addressee ("Các Sở, ban, ngành cấp tỉnh"): every agency of the kind
    /// valid that day, with the label to show.
    Collective {
        ids: Vec<i64>,
        label: String,
    },
    /// Possible agencies, best first, with a score in 0..=1, for a person to choose.
    Candidates(Vec<(i64, f32)>),
    Unknown,
}

/// A best match at or above this, with the runner-up below [`RUNNER_UP_MAX`], is exact.
pub const EXACT_MIN: f32 = 0.95;
pub const RUNNER_UP_MAX: f32 = 0.8;
/// Below this nothing is offered.
pub const CANDIDATE_MIN: f32 = 0.5;
/// At most this many candidates are offered.
pub const MAX_CANDIDATES: usize = 5;

/// A bare place name ("Con Cuông") may mean the district, a commune of the same name or
/// the territory: never exact, the district offered first.
const PLACE_SCORE_DISTRICT: f32 = 0.9;
const PLACE_SCORE_COMMUNE: f32 = 0.85;

const STOP_WORDS: &[&str] = &["va", "cac", "cap"];

/// Abbreviations in folded form, longest first where one is a prefix of another. The
/// short names of the registry use the same forms ("Sở KH&ĐT", "Sở LĐ-TB&XH").
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("vh,tt&dl", "van hoa the thao va du lich"),
    ("vhtt&dl", "van hoa the thao va du lich"),
    ("vhttdl", "van hoa the thao va du lich"),
    ("vh&tt", "van hoa va the thao"),
    ("ld-tb&xh", "lao dong thuong binh va xa hoi"),
    ("ld,tb&xh", "lao dong thuong binh va xa hoi"),
    ("ldtb&xh", "lao dong thuong binh va xa hoi"),
    ("ldtbxh", "lao dong thuong binh va xa hoi"),
    ("nn&ptnt", "nong nghiep va phat trien nong thon"),
    ("nnptnt", "nong nghiep va phat trien nong thon"),
    ("nn&mt", "nong nghiep va moi truong"),
    ("tn&mt", "tai nguyen va moi truong"),
    ("tnmt", "tai nguyen va moi truong"),
    ("kh&dt", "ke hoach va dau tu"),
    ("khdt", "ke hoach va dau tu"),
    ("kh&cn", "khoa hoc va cong nghe"),
    ("khcn", "khoa hoc va cong nghe"),
    ("gd&dt", "giao duc va dao tao"),
    ("gddt", "giao duc va dao tao"),
    ("tt&tt", "thong tin va truyen thong"),
    ("tttt", "thong tin va truyen thong"),
    ("dt&tg", "dan toc va ton giao"),
    ("gtvt", "giao thong van tai"),
    ("ttpvhcc", "trung tam phuc vu hanh chinh cong"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("vp", "van phong"),
    ("tthc", "thu tuc hanh chinh"),
    ("cchc", "cai cach hanh chinh"),
    ("bcd", "ban chi dao"),
    ("kstt", "kiem soat thu tuc hanh chinh"),
    ("ttdt", "thong tin dien tu"),
    ("bql", "ban quan ly"),
    ("kkt", "khu kinh te"),
    ("bhxh", "bao hiem xa hoi"),
    ("tp", "thanh pho"),
    ("tx", "thi xa"),
];

/// Head titles before an agency name: the agency is the assignee.
const HEADS: &[&str] = &[
    "giam doc ",
    "thu truong ",
    "pho chu tich ",
    "chu tich ",
    "nguoi dung dau ",
    "lanh dao ",
    "giao ",
];

/// Kind prefixes of local governments, removed to get the place name.
const PLACE_PREFIXES: &[&str] = &[
    "uy ban nhan dan thanh pho ",
    "uy ban nhan dan thi xa ",
    "uy ban nhan dan thi tran ",
    "uy ban nhan dan huyen ",
    "uy ban nhan dan phuong ",
    "uy ban nhan dan xa ",
    "uy ban nhan dan dac khu ",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '&'
}

/// Replaces `abbr` where it stands as a whole word (not inside a longer word).
fn replace_word(s: &str, abbr: &str, full: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(abbr) {
        let before_ok = rest[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
            && (i > 0 || out.chars().next_back().is_none_or(|c| !is_word_char(c)));
        let after = &rest[i + abbr.len()..];
        let after_ok = after.chars().next().is_none_or(|c| !is_word_char(c));
        out.push_str(&rest[..i]);
        if before_ok && after_ok {
            out.push_str(full);
        } else {
            out.push_str(abbr);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Folded words of a name with abbreviations expanded and punctuation dropped.
fn words(text: &str) -> Vec<String> {
    let mut f = fold_vi(text);
    for (from, to) in [(" & ", "&"), ("& ", "&"), (" &", "&"), ("–", "-")] {
        f = f.replace(from, to);
    }
    for (abbr, full) in ABBREVIATIONS {
        if f.contains(abbr) {
            f = replace_word(&f, abbr, full);
        }
    }
    f.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The canonical folded form of one agency name: words joined by single spaces, head
/// title and trailing "tỉnh (Nghệ An)" removed.
fn canonical(text: &str) -> String {
    let mut s = words(text).join(" ");
    loop {
        let before = s.len();
        for h in HEADS {
            if let Some(r) = s.strip_prefix(h) {
                s = r.to_string();
            }
        }
        for tail in [" tinh nghe an", " nghe an", " tinh"] {
            if let Some(r) = s.strip_suffix(tail) {
                s = r.to_string();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

fn token_set(canonical: &str) -> Vec<&str> {
    let mut v: Vec<&str> = canonical
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn jaccard(a: &[&str], b: &[&str]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.iter().filter(|w| b.contains(w)).count();
    let union = a.len() + b.len() - inter;
    inter as f32 / union as f32
}

/// Splits "X (Y)" into "X" and "Y" (the first parenthesis only).
fn split_parenthesis(text: &str) -> (String, Option<String>) {
    if let Some(open) = text.find('(')
        && let Some(len) = text[open..].find(')')
    {
        let inner = text[open + 1..open + len].trim().to_string();
        let outer = format!("{} {}", &text[..open], &text[open + len + 1..]);
        let outer = outer.split_whitespace().collect::<Vec<_>>().join(" ");
        return (outer, (!inner.is_empty()).then_some(inner));
    }
    (text.to_string(), None)
}

#[derive(Debug, Clone)]
struct Entry {
    agency: AgencyRef,
    /// Canonical forms of the name and the short name.
    keys: Vec<String>,
    /// The bare place name of a local government ("con cuong").
    place: Option<String>,
}

/// Which collective a text names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Collective {
    Departments,
    Districts,
    Communes,
    /// "Các địa phương": the districts while they exist, the communes after 1/7/2025.
    Localities,
}

/// Matches agency names to a registry of agency versions.
#[derive(Debug, Clone)]
pub struct AgencyMatcher {
    entries: Vec<Entry>,
}

impl AgencyMatcher {
    pub fn new(agencies: &[AgencyRef]) -> AgencyMatcher {
        let entries = agencies
            .iter()
            .map(|a| {
                let mut keys = vec![canonical(&a.name)];
                let short = canonical(&a.short_name);
                if !short.is_empty() && !keys.contains(&short) {
                    keys.push(short);
                }
                // "huyện Con Cuông" names the district as well as "UBND huyện Con Cuông".
                let without_ubnd: Vec<String> = keys
                    .iter()
                    .filter_map(|k| k.strip_prefix("uy ban nhan dan ").map(str::to_string))
                    .filter(|k| k.contains(' '))
                    .collect();
                for k in without_ubnd {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                let place = if matches!(a.kind.as_str(), "ubnd_huyen" | "ubnd_xa") {
                    PLACE_PREFIXES
                        .iter()
                        .find_map(|p| keys[0].strip_prefix(p))
                        .map(str::to_string)
                } else {
                    None
                };
                Entry {
                    agency: a.clone(),
                    keys,
                    place,
                }
            })
            .collect();
        AgencyMatcher { entries }
    }

    /// What `text` refers to on day `on` (the date of the document that names it).
    pub fn resolve(&self, text: &str, on: NaiveDate) -> Resolution {
        let text = text.trim().trim_end_matches(['.', ',', ';', ':']).trim();
        if text.is_empty() {
            return Resolution::Unknown;
        }
        if let Some(c) = collective(text) {
            return self.fan_out(c, on);
        }
        let (outer, inner) = split_parenthesis(text);
        if let Some(inner) = inner
            && let r @ Resolution::Exact(_) = self.resolve_one(&inner, on)
        {
            return r;
        }
        self.resolve_one(&outer, on)
    }

    /// Agencies valid on `on`, scored against one name, best first.
    pub fn scores(&self, text: &str, on: NaiveDate) -> Vec<(i64, f32)> {
        let key = canonical(text);
        let tokens = token_set(&key);
        let mut out: Vec<(i64, f32, u8)> = Vec::new();
        for e in self.entries.iter().filter(|e| e.agency.valid_on(on)) {
            let mut score = 0.0f32;
            for k in &e.keys {
                let s = if *k == key {
                    1.0
                } else {
                    jaccard(&tokens, &token_set(k))
                };
                score = score.max(s);
            }
            if e.place.as_deref() == Some(key.as_str()) {
                let place = if e.agency.kind == "ubnd_huyen" {
                    PLACE_SCORE_DISTRICT
                } else {
                    PLACE_SCORE_COMMUNE
                };
                score = score.max(place);
            }
            if score > 0.0 {
                out.push((e.agency.id, score, kind_rank(&e.agency.kind)));
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
        out.into_iter().map(|(id, s, _)| (id, s)).collect()
    }

    fn resolve_one(&self, text: &str, on: NaiveDate) -> Resolution {
        let scored = self.scores(text, on);
        let Some(&(best_id, best)) = scored.first() else {
            return Resolution::Unknown;
        };
        let second = scored.get(1).map_or(0.0, |s| s.1);
        if best >= EXACT_MIN && second < RUNNER_UP_MAX {
            return Resolution::Exact(best_id);
        }
        if best >= CANDIDATE_MIN {
            return Resolution::Candidates(
                scored
                    .into_iter()
                    .filter(|s| s.1 >= CANDIDATE_MIN)
                    .take(MAX_CANDIDATES)
                    .collect(),
            );
        }
        Resolution::Unknown
    }

    fn fan_out(&self, c: Collective, on: NaiveDate) -> Resolution {
        let valid = |kind: &str| -> Vec<i64> {
            self.entries
                .iter()
                .filter(|e| e.agency.kind == kind && e.agency.valid_on(on))
                .map(|e| e.agency.id)
                .collect()
        };
        let (ids, label) = match c {
            Collective::Departments => (valid("so_nganh"), "Các Sở, ban, ngành cấp tỉnh"),
            Collective::Districts => (valid("ubnd_huyen"), "UBND các huyện, thành phố, thị xã"),
            Collective::Communes => (valid("ubnd_xa"), "UBND các xã, phường, thị trấn"),
            Collective::Localities => {
                let districts = valid("ubnd_huyen");
                if districts.is_empty() {
                    (valid("ubnd_xa"), "UBND các xã, phường, đặc khu")
                } else {
                    (districts, "UBND các huyện, thành phố, thị xã")
                }
            }
        };
        // The districts named after they ended (two-level local government, Luật Tổ chức
        // chính quyền địa phương 72/2025/QH15): their duties went to the communes, which
        // are proposed, saying why, for a person to confirm.
        if ids.is_empty() && c == Collective::Districts {
            let ended = self
                .entries
                .iter()
                .filter(|e| e.agency.kind == "ubnd_huyen")
                .filter_map(|e| e.agency.valid_to)
                .max()
                .filter(|end| *end < on);
            let communes = valid("ubnd_xa");
            if let (Some(end), false) = (ended, communes.is_empty()) {
                let from = end.succ_opt().unwrap_or(end);
                return Resolution::Collective {
                    ids: communes,
                    label: format!(
                        "UBND các xã, phường, đặc khu — thay cho UBND các huyện, thành phố, thị xã (cấp huyện đã kết thúc hoạt động từ {}); đề nghị kiểm tra lại",
                        from.format("%d/%m/%Y")
                    ),
                };
            }
        }
        // A collective with nobody in it that day is for a person to decide, not an
        // empty assignment.
        if ids.is_empty() {
            return Resolution::Unknown;
        }
        Resolution::Collective {
            ids,
            label: label.to_string(),
        }
    }
}

/// Order among equal scores: the level a provincial directive most often addresses.
fn kind_rank(kind: &str) -> u8 {
    match kind {
        "so_nganh" => 0,
        "ubnd_huyen" => 1,
        "ubnd_tinh" => 2,
        "ban_chi_dao" => 3,
        "trung_tam_phvhcc" => 4,
        "don_vi_truc_thuoc" => 5,
        "ubnd_xa" => 6,
        _ => 7,
    }
}

/// The collective a whole text names, if any. "Các Sở, ngành: Tư pháp, …" lists named
/// departments and is not a collective; neither is "… có liên quan" (some, not all).
fn collective(text: &str) -> Option<Collective> {
    if text.contains(':') {
        return None;
    }
    let w = words(text);
    let mut w: Vec<&str> = w.iter().map(String::as_str).collect();
    if w.ends_with(&["co", "lien", "quan"]) || w.ends_with(&["lien", "quan"]) {
        return None;
    }
    for tail in [
        ["tinh", "nghe", "an"].as_slice(),
        &["nghe", "an"],
        &["tinh"],
    ] {
        if w.ends_with(tail) {
            w.truncate(w.len() - tail.len());
        }
    }
    // Head titles anywhere ("Giám đốc các Sở, Thủ trưởng các ban, ngành").
    let mut v: Vec<&str> = Vec::with_capacity(w.len());
    let mut i = 0;
    while i < w.len() {
        match (w[i], w.get(i + 1).copied()) {
            ("giam", Some("doc")) | ("thu", Some("truong")) | ("chu", Some("tich")) => i += 2,
            (x, _) => {
                v.push(x);
                i += 1;
            }
        }
    }
    let v: Vec<&str> = v.into_iter().filter(|x| *x != "cac").collect();
    let s = v.join(" ");
    const DEPARTMENTS: &[&str] = &[
        "so ban nganh cap",
        "so ban nganh",
        "so nganh cap",
        "so nganh",
        "so ban nganh doan the cap",
        "so ban nganh doan the",
        "so ban nganh don vi cap",
        "so ban nganh don vi",
    ];
    const DISTRICTS: &[&str] = &[
        "uy ban nhan dan huyen thanh pho thi xa",
        "uy ban nhan dan huyen thi xa thanh pho",
        "uy ban nhan dan huyen thanh thi",
        "uy ban nhan dan cap huyen",
        "huyen thanh pho thi xa",
        "huyen thi xa thanh pho",
    ];
    const COMMUNES: &[&str] = &[
        "uy ban nhan dan xa phuong thi tran",
        "uy ban nhan dan xa phuong dac khu",
        "uy ban nhan dan xa phuong",
        "uy ban nhan dan cap xa",
        "xa phuong thi tran",
        "xa phuong dac khu",
    ];
    if DEPARTMENTS.contains(&s.as_str()) {
        Some(Collective::Departments)
    } else if DISTRICTS.contains(&s.as_str()) {
        Some(Collective::Districts)
    } else if COMMUNES.contains(&s.as_str()) {
        Some(Collective::Communes)
    } else if s == "dia phuong" || s == "uy ban nhan dan dia phuong" {
        Some(Collective::Localities)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    /// The demo registry, ids in file order from 1, and the ids by code.
    fn registry() -> (Vec<AgencyRef>, HashMap<String, i64>) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/agencies.csv");
        let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut out = Vec::new();
        let mut codes = HashMap::new();
        for (i, rec) in reader.records().enumerate() {
            let r = rec.unwrap_or_else(|e| panic!("{e}"));
            let id = i as i64 + 1;
            codes.insert(r[0].to_string(), id);
            out.push(AgencyRef {
                id,
                name: r[3].to_string(),
                short_name: r[4].to_string(),
                kind: r[2].to_string(),
                valid_from: day(&r[5]),
                valid_to: (!r[6].is_empty()).then(|| day(&r[6])),
            });
        }
        (out, codes)
    }

    fn setup() -> (AgencyMatcher, Vec<AgencyRef>, HashMap<String, i64>) {
        let (agencies, codes) = registry();
        (AgencyMatcher::new(&agencies), agencies, codes)
    }

    const D2023: &str = "2023-08-15";

    #[test]
    fn matches_departments_and_offices_exactly() {
        let (m, _, code) = setup();
        let on = day(D2023);
        for (text, c) in [
            ("Sở Nội vụ", "SNV"),
            ("Sở Tư pháp", "STP"),
            ("Sở Tư pháp tỉnh Nghệ An", "STP"),
            ("Giám đốc Sở Nội vụ", "SNV"),
            ("Văn phòng UBND tỉnh", "VP-UBND"),
            ("VP UBND tỉnh", "VP-UBND"),
            ("Văn phòng Ủy ban nhân dân tỉnh", "VP-UBND"),
            ("UBND tỉnh", "UBND-TINH"),
            ("UBND huyện Con Cuông", "H-CONCUONG"),
            ("huyện Con Cuông", "H-CONCUONG"),
            ("Ban Chỉ đạo CCHC tỉnh", "BCD-CCHC"),
            ("Sở KH&ĐT", "SKHDT"),
            ("Sở Kế hoạch và Đầu tư", "SKHDT"),
            ("Sở LĐ-TB&XH", "SLDTBXH"),
            ("Sở GD&ĐT", "SGDDT"),
            ("Sở TT&TT", "STTTT"),
            ("Sở NN&PTNT", "SNNPTNT"),
        ] {
            assert_eq!(m.resolve(text, on), Resolution::Exact(code[c]), "{text}");
        }
        assert_eq!(
            m.resolve("Sở VH,TT&DL", day("2025-08-01")),
            Resolution::Exact(code["SVHTTDL"])
        );
    }

    #[test]
    fn a_parenthesis_names_a_sub_unit_when_it_exists() {
        let (m, _, code) = setup();
        let on = day(D2023);
        assert_eq!(
            m.resolve(
                "Văn phòng Ủy ban nhân dân tỉnh (Cổng Thông tin điện tử)",
                on
            ),
            Resolution::Exact(code["VP-CTTDT"])
        );
        assert_eq!(
            m.resolve("Văn phòng UBND tỉnh (bộ phận một cửa)", on),
            Resolution::Exact(code["VP-UBND"])
        );
        assert_eq!(
            m.resolve("Sở Nội vụ (cơ quan Thường trực Ban Chỉ đạo CCHC)", on),
            Resolution::Exact(code["SNV"])
        );
    }

    #[test]
    fn respects_the_date_of_the_text() {
        let (m, _, code) = setup();
        assert_eq!(
            m.resolve("Sở TN&MT", day(D2023)),
            Resolution::Exact(code["STNMT"])
        );
        assert_eq!(
            m.resolve("Sở TN&MT", day("2026-01-01")),
            Resolution::Unknown
        );
        assert_eq!(
            m.resolve("Sở Kế hoạch và Đầu tư", day("2026-01-01")),
            Resolution::Unknown
        );
        // The district is gone; the commune of the same name is offered, not chosen.
        match m.resolve("UBND huyện Con Cuông", day("2026-01-01")) {
            Resolution::Candidates(c) => {
                assert_eq!(c.first().map(|c| c.0), Some(code["XM-CONCUONG"]))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bare_place_name_offers_a_choice() {
        let (m, _, code) = setup();
        let Resolution::Candidates(c) = m.resolve("Con Cuông", day(D2023)) else {
            panic!("{:?}", m.resolve("Con Cuông", day(D2023)));
        };
        assert_eq!(c[0], (code["H-CONCUONG"], PLACE_SCORE_DISTRICT));
        assert!(
            c.iter()
                .any(|(id, _)| *id == code["X-CONCUONG-TT-CONCUONG"])
        );
        assert!(
            !c.iter().any(|(id, _)| *id == code["XM-CONCUONG"]),
            "not yet in 2023"
        );
    }

    #[test]
    fn collectives_fan_out_to_the_agencies_of_that_day() {
        let (m, agencies, _) = setup();
        let on = day(D2023);
        let of_kind = |kind: &str| -> Vec<i64> {
            agencies
                .iter()
                .filter(|a| a.kind == kind && a.valid_on(on))
                .map(|a| a.id)
                .collect()
        };
        let districts = of_kind("ubnd_huyen");
        assert!(districts.len() >= 15, "{}", districts.len());
        for (text, kind) in [
            ("Các Sở, ban, ngành cấp tỉnh", "so_nganh"),
            ("Giám đốc các Sở, Thủ trưởng các ban, ngành", "so_nganh"),
            (
                "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh",
                "so_nganh",
            ),
            ("UBND các huyện, thành phố, thị xã", "ubnd_huyen"),
            (
                "Chủ tịch Ủy ban nhân dân các huyện, thành phố, thị xã",
                "ubnd_huyen",
            ),
            ("các địa phương", "ubnd_huyen"),
            ("UBND các xã, phường, thị trấn", "ubnd_xa"),
        ] {
            match m.resolve(text, on) {
                Resolution::Collective { ids, .. } => assert_eq!(ids, of_kind(kind), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        // After the districts ended: the communes, saying why.
        match m.resolve("UBND các huyện, thành phố, thị xã", day("2026-01-01")) {
            Resolution::Collective { ids, label } => {
                let d = day("2026-01-01");
                let communes: Vec<i64> = agencies
                    .iter()
                    .filter(|a| a.kind == "ubnd_xa" && a.valid_on(d))
                    .map(|a| a.id)
                    .collect();
                assert_eq!(ids, communes);
                assert!(label.contains("thay cho UBND các huyện"), "{label}");
                assert!(label.contains("01/07/2025"), "{label}");
            }
            other => panic!("{other:?}"),
        }
        match m.resolve("các địa phương", day("2026-01-01")) {
            Resolution::Collective { ids, .. } => {
                assert_eq!(ids.len(), {
                    let d = day("2026-01-01");
                    agencies
                        .iter()
                        .filter(|a| a.kind == "ubnd_xa" && a.valid_on(d))
                        .count()
                })
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_named_list_and_nonsense_are_not_matched() {
        let (m, _, _) = setup();
        let on = day(D2023);
        assert!(!matches!(
            m.resolve(
                "Các Sở, ngành: Tư pháp, Kế hoạch và Đầu tư, Tài nguyên và Môi trường",
                on
            ),
            Resolution::Collective { .. } | Resolution::Exact(_)
        ));
        assert!(!matches!(
            m.resolve("Các Sở, ban, ngành cấp tỉnh có liên quan", on),
            Resolution::Collective { .. }
        ));
        for text in [
            "xyz qwerty",
            "",
            "Bộ Tài chính Hoa Kỳ",
            "Công ty cổ phần ABC",
        ] {
            assert!(
                matches!(
                    m.resolve(text, on),
                    Resolution::Unknown | Resolution::Candidates(_)
                ),
                "{text}"
            );
        }
        assert_eq!(m.resolve("xyz qwerty", on), Resolution::Unknown);
        assert_eq!(m.resolve("Công ty cổ phần ABC", on), Resolution::Unknown);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_scores_stay_in_range(text in "\\PC{0,80}") {
            let (m, _, _) = setup();
            match m.resolve(&text, day(D2023)) {
                Resolution::Candidates(c) => {
                    proptest::prop_assert!(c.iter().all(|(_, s)| (CANDIDATE_MIN..=1.0).contains(s)));
                    proptest::prop_assert!(c.windows(2).all(|w| w[0].1 >= w[1].1));
                }
                Resolution::Collective { ids, .. } => proptest::prop_assert!(!ids.is_empty()),
                Resolution::Exact(_) | Resolution::Unknown => {}
            }
        }
    }

    #[test]
    fn expands_abbreviations_as_whole_words_only() {
        assert_eq!(canonical("Sở TN & MT"), "so tai nguyen va moi truong");
        assert_eq!(canonical("UBND tỉnh Nghệ An"), "uy ban nhan dan");
        assert_eq!(canonical("Thủ trưởng Ban Dân tộc tỉnh"), "ban dan toc");
        assert_eq!(replace_word("vpx vp", "vp", "van phong"), "vpx van phong");
    }
}
