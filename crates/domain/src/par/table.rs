//! A criteria set from a table — the appendix of the decision as the Sở Nội vụ keeps it in
//! Excel: one row per lĩnh vực, tiêu chí and tiêu chí thành phần, the tree given by the
//! dotted codes ("1", "1.1", "1.1.2"). The set's identity (code, name, kind of unit,
//! first year, decision) comes from the import form. Every row is checked; the messages
//! name the sheet's row numbers.
//!
//! Columns, recognised by their header with or without diacritics: Mã | Tiêu chí | Điểm
//! tối đa | Nguồn điểm (Tự đánh giá, Điều tra xã hội học, Hệ thống) | Cách chấm (the
//! decision's sentence) | Thang điểm ("Có/Không"; "Tốt=1; Đạt=0,5; Không đạt=0";
//! "≥100%=2; ≥80%=1; ≥0%=0") | Tài liệu kiểm chứng | Số liệu hệ thống (a metric code or
//! its Vietnamese label).

use super::points::Points;
use super::set::{CriteriaSet, Level, Metric, Node, Rule, RuleKind, Source, Threshold, UnitKind};
use crate::text::fold_vi;

/// What the import form gives about the set.
#[derive(Debug, Clone, Default)]
pub struct SetMeta {
    pub id: String,
    pub title: String,
    pub unit_kind: Option<UnitKind>,
    pub applies_from_year: i32,
    pub decision: Option<String>,
    pub decision_date: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub survey_points: Option<Points>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Col {
    Code,
    Title,
    Max,
    Source,
    RuleText,
    Scale,
    Evidence,
    Metric,
}

fn column_of(header: &str) -> Option<Col> {
    let h = fold_vi(header);
    let h = h.trim();
    Some(match h {
        "ma" | "ma tieu chi" | "ma so" | "stt" | "tt" | "code" => Col::Code,
        "tieu chi" | "ten tieu chi" | "noi dung" | "linh vuc, tieu chi" | "linh vuc/tieu chi"
        | "title" => Col::Title,
        "diem toi da" | "diem" | "max" | "diem chuan" => Col::Max,
        "nguon diem" | "nguon" | "phuong phap" | "source" => Col::Source,
        "cach cham" | "cach cham diem" | "huong dan cham" | "huong dan cham diem" => Col::RuleText,
        "thang diem" | "muc diem" | "scale" => Col::Scale,
        "tai lieu kiem chung" | "kiem chung" | "evidence" => Col::Evidence,
        "so lieu" | "so lieu he thong" | "metric" => Col::Metric,
        _ => return None,
    })
}

/// Parses `rows` (each with its 1-based sheet row number) into a checked set. Errors are
/// (row, message) — row 0 for the set as a whole.
pub fn parse(
    meta: &SetMeta,
    rows: &[(usize, Vec<String>)],
) -> Result<CriteriaSet, Vec<(usize, String)>> {
    parse_with(meta, rows, false)
}

/// [`parse`], and with `sum_parents` the maximum of every lĩnh vực and tiêu chí that has
/// tiêu chí thành phần is the sum of theirs (its own cell may be left blank): how the
/// editor keeps a set adding up when an officer changes one item's points.
pub fn parse_with(
    meta: &SetMeta,
    rows: &[(usize, Vec<String>)],
    sum_parents: bool,
) -> Result<CriteriaSet, Vec<(usize, String)>> {
    let mut errors = Vec::new();
    let Some(hpos) = rows.iter().take(20).position(|(_, r)| {
        let cols: Vec<Col> = r.iter().filter_map(|c| column_of(c)).collect();
        cols.contains(&Col::Code) && cols.contains(&Col::Title) && cols.contains(&Col::Max)
    }) else {
        return Err(vec![(
            0,
            "Không tìm thấy dòng tiêu đề (cần các cột Mã, Tiêu chí, Điểm tối đa).".into(),
        )]);
    };
    let mut index: Vec<(Col, usize)> = Vec::new();
    for (i, c) in rows[hpos].1.iter().enumerate() {
        if let Some(col) = column_of(c)
            && !index.iter().any(|(k, _)| *k == col)
        {
            index.push((col, i));
        }
    }
    let get = |r: &Vec<String>, col: Col| -> String {
        index
            .iter()
            .find(|(k, _)| *k == col)
            .and_then(|(_, i)| r.get(*i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    // Flat nodes in order, with their codes.
    let mut flat: Vec<(usize, Node)> = Vec::new();
    for (line, r) in &rows[hpos + 1..] {
        let code = get(r, Col::Code).trim_end_matches('.').to_string();
        let title = get(r, Col::Title);
        if code.is_empty() && title.is_empty() {
            continue;
        }
        if code.is_empty() {
            errors.push((*line, format!("Dòng {line}: thiếu mã tiêu chí.")));
            continue;
        }
        let max_cell = get(r, Col::Max);
        let max = match Points::parse(&max_cell) {
            Ok(p) => p,
            Err(_) if sum_parents && max_cell.is_empty() => Points(0),
            Err(e) => {
                errors.push((*line, format!("Dòng {line} (mã {code}): điểm tối đa: {e}")));
                continue;
            }
        };
        let source = match fold_vi(&get(r, Col::Source)).as_str() {
            "" | "tu danh gia" | "tu cham" | "self" => Source::SelfAssessed,
            s if s.starts_with("dieu tra") || s == "survey" || s.contains("xa hoi hoc") => {
                Source::Survey
            }
            s if s.starts_with("he thong") || s == "computed" => Source::Computed,
            other => {
                errors.push((
                    *line,
                    format!("Dòng {line} (mã {code}): nguồn điểm “{other}” phải là Tự đánh giá, Điều tra xã hội học hoặc Hệ thống."),
                ));
                continue;
            }
        };
        let metric = match get(r, Col::Metric).as_str() {
            "" => None,
            m => match metric_of(m) {
                Some(x) => Some(x),
                None => {
                    errors.push((
                        *line,
                        format!("Dòng {line} (mã {code}): không nhận ra số liệu hệ thống “{m}”."),
                    ));
                    continue;
                }
            },
        };
        let text = Some(get(r, Col::RuleText)).filter(|s| !s.is_empty());
        let rule = match scale_of(&get(r, Col::Scale)) {
            Ok(mut rule) => {
                rule.text = text;
                rule
            }
            Err(e) => {
                errors.push((*line, format!("Dòng {line} (mã {code}): thang điểm: {e}")));
                continue;
            }
        };
        flat.push((
            *line,
            Node {
                code,
                title,
                max,
                source,
                rule,
                evidence: Some(get(r, Col::Evidence)).filter(|s| !s.is_empty()),
                metric,
                items: Vec::new(),
            },
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The tree from the codes: each node goes under the nearest earlier node whose code
    // is its parent's ("1.2.3" under "1.2").
    fn insert(into: &mut Vec<Node>, n: Node) -> Result<(), Box<Node>> {
        let parent = match n.code.rsplit_once('.') {
            Some((p, _)) => p.to_string(),
            None => {
                into.push(n);
                return Ok(());
            }
        };
        fn find<'a>(nodes: &'a mut [Node], code: &str) -> Option<&'a mut Node> {
            for x in nodes.iter_mut().rev() {
                if x.code == code {
                    return Some(x);
                }
                if code.starts_with(&format!("{}.", x.code))
                    && let Some(f) = find(&mut x.items, code)
                {
                    return Some(f);
                }
            }
            None
        }
        match find(into, &parent) {
            Some(p) => {
                p.items.push(n);
                Ok(())
            }
            None => Err(Box::new(n)),
        }
    }
    let mut areas: Vec<Node> = Vec::new();
    for (line, n) in flat {
        if let Err(n) = insert(&mut areas, n) {
            errors.push((
                line,
                format!(
                    "Dòng {line}: tiêu chí {} không có tiêu chí cha trong bảng.",
                    n.code
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if sum_parents {
        fn sum(n: &mut Node) -> Points {
            if !n.items.is_empty() {
                n.max = n.items.iter_mut().map(sum).sum();
            }
            n.max
        }
        areas.iter_mut().for_each(|a| {
            sum(a);
        });
    }
    let Some(unit_kind) = meta.unit_kind else {
        return Err(vec![(0, "Chưa chọn loại đơn vị áp dụng.".into())]);
    };
    let set = CriteriaSet {
        id: meta.id.trim().to_string(),
        title: meta.title.trim().to_string(),
        province: None,
        decision: meta.decision.clone(),
        decision_date: meta.decision_date.clone(),
        issuer: meta.issuer.clone(),
        unit_kind,
        applies_from_year: meta.applies_from_year,
        source: meta.source.clone(),
        note: None,
        survey_points: meta.survey_points,
        max_points: areas.iter().map(|a| a.max).sum(),
        areas,
    };
    set.check().map_err(|e| vec![(0, e)])?;
    Ok(set)
}

/// Orders rows by their dotted code as a reader expects ("1.2" before "1.10", a parent
/// before its items); rows without a code keep their place at the end. The row numbers
/// stay those the officer typed them on.
pub fn sort_by_code(rows: &mut [(usize, Vec<String>)]) {
    fn key(code: &str) -> Vec<(u64, String)> {
        code.trim()
            .trim_end_matches('.')
            .split('.')
            .map(|p| {
                (
                    p.trim().parse::<u64>().unwrap_or(u64::MAX),
                    p.trim().to_string(),
                )
            })
            .collect()
    }
    rows.sort_by_cached_key(|(line, r)| {
        let code = r.first().map(String::as_str).unwrap_or("").trim();
        (code.is_empty(), key(code), *line)
    });
}

fn metric_of(s: &str) -> Option<Metric> {
    let f = fold_vi(s);
    Metric::ALL.into_iter().find(|m| {
        let code = serde_json::to_value(m)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        code == s.trim() || fold_vi(m.label()) == f
    })
}

/// "Có/Không" → yes/no; "≥100%=2; ≥80%=1" → ratio; "Tốt=1; Đạt=0,5" → levels; "" → manual.
fn scale_of(s: &str) -> Result<Rule, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Rule::default());
    }
    let f = fold_vi(t);
    if matches!(
        f.as_str(),
        "co/khong" | "co / khong" | "dat/khong dat" | "dat / khong dat"
    ) {
        return Ok(Rule {
            kind: RuleKind::YesNo,
            ..Default::default()
        });
    }
    let parts: Vec<&str> = t
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let pair = |p: &str| -> Result<(String, Points), String> {
        let (l, v) = p
            .rsplit_once('=')
            .or_else(|| p.rsplit_once(':'))
            .ok_or_else(|| format!("“{p}” phải có dạng mức=điểm"))?;
        Ok((l.trim().to_string(), Points::parse(v)?))
    };
    if t.contains('%') {
        let mut thresholds = Vec::new();
        for p in parts {
            let (l, points) = pair(p)?;
            let num = l
                .trim_start_matches(['≥', '>', '='])
                .trim_start_matches("từ")
                .trim()
                .trim_end_matches('%')
                .trim()
                .replace(',', ".");
            let min_percent: f64 = num
                .parse()
                .map_err(|_| format!("“{l}” không phải là ngưỡng phần trăm"))?;
            thresholds.push(Threshold {
                min_percent,
                points,
            });
        }
        return Ok(Rule {
            kind: RuleKind::Ratio,
            thresholds,
            ..Default::default()
        });
    }
    let mut levels = Vec::new();
    for p in parts {
        let (label, points) = pair(p)?;
        levels.push(Level { label, points });
    }
    Ok(Rule {
        kind: RuleKind::Levels,
        levels,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, cells: &[&str]) -> (usize, Vec<String>) {
        (n, cells.iter().map(|s| s.to_string()).collect())
    }

    fn meta() -> SetMeta {
        SetMeta {
            id: "TINH_X_2025_SO".into(),
            title: "Bộ chỉ số thử".into(),
            unit_kind: Some(UnitKind::Department),
            applies_from_year: 2025,
            ..Default::default()
        }
    }

    #[test]
    fn a_table_becomes_a_tree() {
        let rows = vec![
            row(1, &["BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"]),
            row(
                3,
                &[
                    "Mã",
                    "Lĩnh vực, tiêu chí",
                    "Điểm tối đa",
                    "Nguồn điểm",
                    "Cách chấm",
                    "Thang điểm",
                    "Tài liệu kiểm chứng",
                    "Số liệu hệ thống",
                ],
            ),
            row(
                4,
                &["1", "Công tác chỉ đạo, điều hành", "3", "", "", "", "", ""],
            ),
            row(
                5,
                &[
                    "1.1",
                    "Kế hoạch CCHC",
                    "1",
                    "Tự đánh giá",
                    "Ban hành đúng hạn: 1 điểm",
                    "Có/Không",
                    "Kế hoạch",
                    "",
                ],
            ),
            row(
                6,
                &[
                    "1.2",
                    "Hoàn thành nhiệm vụ",
                    "2",
                    "Hệ thống",
                    "",
                    "≥100%=2; ≥80%=1; ≥0%=0",
                    "",
                    "Tỷ lệ nhiệm vụ hoàn thành đúng hạn",
                ],
            ),
            row(7, &["", "", "", "", "", "", "", ""]),
            row(8, &["2", "Tác động", "2", "", "", "", "", ""]),
            row(
                9,
                &[
                    "2.1",
                    "Hài lòng",
                    "2",
                    "Điều tra xã hội học",
                    "",
                    "",
                    "",
                    "",
                ],
            ),
        ];
        let s = parse(&meta(), &rows).unwrap();
        assert_eq!(s.max_points, Points(500));
        assert_eq!(s.areas.len(), 2);
        let n = s.find("1.2").unwrap();
        assert_eq!(n.rule.kind, RuleKind::Ratio);
        assert_eq!(n.metric, Some(Metric::TasksOnTime));
        assert_eq!(n.rule.thresholds[1].points, Points(100));
        assert_eq!(s.find("1.1").unwrap().rule.kind, RuleKind::YesNo);
        assert_eq!(s.find("2.1").unwrap().source, Source::Survey);
    }

    #[test]
    fn the_editor_sums_parents_and_orders_codes() {
        let mut rows = vec![
            row(1, &["Mã", "Tiêu chí", "Điểm tối đa", "Thang điểm"]),
            row(2, &["1", "A", "", ""]),
            row(3, &["1.10", "A10", "0,5", "Có/Không"]),
            row(4, &["2", "B", "9", ""]),
            row(5, &["2.1", "B1", "1,25", ""]),
            row(6, &["1.2", "A2", "1", ""]),
            row(7, &["1.1", "A1", "2", ""]),
        ];
        // Without summing, the typed maxima must add up.
        assert!(parse(&meta(), &rows).is_err());
        let mut body = rows.split_off(1);
        sort_by_code(&mut body);
        let codes: Vec<&str> = body.iter().map(|(_, r)| r[0].as_str()).collect();
        assert_eq!(codes, ["1", "1.1", "1.2", "1.10", "2", "2.1"]);
        rows.extend(body);
        let s = parse_with(&meta(), &rows, true).unwrap();
        assert_eq!(s.find("1").unwrap().max, Points(350));
        assert_eq!(s.find("2").unwrap().max, Points(125));
        assert_eq!(s.max_points, Points(475));
        let order: Vec<&str> = s.areas[0].items.iter().map(|n| n.code.as_str()).collect();
        assert_eq!(order, ["1.1", "1.2", "1.10"]);
    }

    #[test]
    fn bad_rows_are_named_by_their_line() {
        let head = row(1, &["Mã", "Tiêu chí", "Điểm tối đa", "Thang điểm"]);
        let e = parse(&meta(), &[head.clone(), row(2, &["1", "A", "abc", ""])]).unwrap_err();
        assert!(e[0].1.starts_with("Dòng 2"), "{e:?}");
        let e = parse(
            &meta(),
            &[
                head.clone(),
                row(2, &["1", "A", "1", ""]),
                row(3, &["2.1", "B", "1", ""]),
            ],
        )
        .unwrap_err();
        assert!(e[0].1.contains("cha"), "{e:?}");
        let e = parse(
            &meta(),
            &[
                head.clone(),
                row(2, &["1", "A", "2", ""]),
                row(3, &["1.1", "B", "1", ""]),
            ],
        )
        .unwrap_err();
        assert!(e[0].1.contains("tổng điểm"), "{e:?}");
        let e = parse(&meta(), &[head.clone(), row(2, &["1", "A", "1", "Tốt"])]).unwrap_err();
        assert!(e[0].1.contains("mức=điểm"), "{e:?}");
        let e = parse(&meta(), &[row(1, &["a", "b"])]).unwrap_err();
        assert!(e[0].1.contains("tiêu đề"));
    }
}

/// The header the importer reads, in its order.
pub const HEADER: [&str; 8] = [
    "Mã",
    "Tiêu chí",
    "Điểm tối đa",
    "Nguồn điểm",
    "Cách chấm",
    "Thang điểm",
    "Tài liệu kiểm chứng",
    "Số liệu hệ thống",
];

/// A set as the rows of its table (header first), in the layout [`parse`] reads back:
/// exporting, editing in Excel and importing again is how a set is edited.
pub fn to_rows(set: &CriteriaSet) -> Vec<Vec<String>> {
    let mut out = vec![HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for (n, _) in set.nodes() {
        let leaf = n.is_leaf();
        let scale = if !leaf {
            String::new()
        } else {
            match n.rule.kind {
                RuleKind::YesNo => "Có/Không".to_string(),
                RuleKind::Levels => n
                    .rule
                    .levels
                    .iter()
                    .map(|l| format!("{}={}", l.label, l.points.vn()))
                    .collect::<Vec<_>>()
                    .join("; "),
                RuleKind::Ratio => n
                    .rule
                    .thresholds
                    .iter()
                    .map(|t| {
                        format!(
                            "≥{}%={}",
                            format!("{}", t.min_percent).replace('.', ","),
                            t.points.vn()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                RuleKind::Manual => String::new(),
            }
        };
        out.push(vec![
            n.code.clone(),
            n.title.clone(),
            n.max.vn(),
            if leaf {
                n.source.label().to_string()
            } else {
                String::new()
            },
            n.rule.text.clone().unwrap_or_default(),
            scale,
            n.evidence.clone().unwrap_or_default(),
            n.metric
                .and_then(|m| serde_json::to_value(m).ok())
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
        ]);
    }
    out
}

#[cfg(test)]
mod round_trip {
    use super::*;

    #[test]
    fn exported_tables_import_back_to_the_same_tree() {
        for set in crate::par::embedded_demo().unwrap() {
            let rows: Vec<(usize, Vec<String>)> = to_rows(&set)
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r))
                .collect();
            let meta = SetMeta {
                id: set.id.clone(),
                title: set.title.clone(),
                unit_kind: Some(set.unit_kind),
                applies_from_year: set.applies_from_year,
                survey_points: set.survey_points,
                ..Default::default()
            };
            let back = parse(&meta, &rows).unwrap();
            assert_eq!(back.areas, set.areas, "{}", set.id);
            assert_eq!(back.max_points, set.max_points);
        }
    }
}
