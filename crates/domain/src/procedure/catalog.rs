//! Danh mục TTHC — importing catalog rows (code, name, field, level, agency, time limit,
//! fee, online level, source) from the CSV format of data/procedures/procedures.csv.
//! Rows that cannot be used are not dropped silently: each comes back with its line and a
//! Vietnamese reason.

use super::ProcedureCode;
use crate::dossier::WorkingLimit;
use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Cấp thực hiện — the level of government that solves the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureLevel {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (abolished 01/7/2025; kept for history).
    District,
    /// Cấp xã.
    Commune,
    /// Liên thông — several levels in a chain.
    Interlinked,
}

impl ProcedureLevel {
    pub fn label(self) -> &'static str {
        match self {
            ProcedureLevel::Province => "tỉnh",
            ProcedureLevel::District => "huyện",
            ProcedureLevel::Commune => "xã",
            ProcedureLevel::Interlinked => "liên thông",
        }
    }
}

/// Mức độ dịch vụ công trực tuyến — NĐ 42/2022/NĐ-CP Điều 11: toàn trình (fully online) or
/// một phần (partly online).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình.
    Full,
    /// Một phần.
    Partial,
    /// Không cung cấp trực tuyến (an empty cell in the catalog file is read as this).
    NotOnline,
}

impl OnlineLevel {
    pub fn label(self) -> &'static str {
        match self {
            OnlineLevel::Full => "Toàn trình",
            OnlineLevel::Partial => "Một phần",
            OnlineLevel::NotOnline => "Không",
        }
    }
}

/// The parsed legal time limit of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LegalTimeLimit {
    /// In working days or hours ("05 ngày làm việc", "08 giờ"; "trong ngày" = 0 days). A
    /// same-day procedure may name its own afternoon cut-off ("tiếp nhận sau 15 giờ thì trả
    /// kết quả trong ngày làm việc tiếp theo").
    Working {
        limit: WorkingLimit,
        cutoff: Option<NaiveTime>,
    },
    /// "30 ngày" without "làm việc": calendar days. Kept as written; the deadline rule for
    /// calendar days (Bộ luật Dân sự 2015 Điều 148?) is [TV], so no appointment is computed.
    CalendarDays(u32),
}

impl LegalTimeLimit {
    /// The limit in working time, if it is one.
    pub fn working(self) -> Option<WorkingLimit> {
        match self {
            LegalTimeLimit::Working { limit, .. } => Some(limit),
            LegalTimeLimit::CalendarDays(_) => None,
        }
    }
}

/// One accepted catalog row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcedureRow {
    /// Line of the row in the file (the header is line 1).
    pub line: usize,
    /// National code; some published provincial procedures have none.
    pub code: Option<ProcedureCode>,
    pub name: String,
    /// Lĩnh vực.
    pub field: String,
    pub level: ProcedureLevel,
    /// Cơ quan thực hiện, as written (may list several, separated by ';').
    pub agency: String,
    /// Thời hạn giải quyết as published.
    pub time_limit_text: String,
    pub time_limit: LegalTimeLimit,
    /// Phí, lệ phí as published.
    pub fee_text: String,
    pub online_level: OnlineLevel,
    /// TTHC nội bộ (between state agencies), from an optional `internal` column.
    pub internal: bool,
    pub source: String,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: usize,
    /// The code cell as written (may be empty).
    pub code: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

/// The outcome of an import: accepted rows and rejected rows, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogImport {
    pub rows: Vec<ProcedureRow>,
    pub rejected: Vec<Rejected>,
}

const REQUIRED: [&str; 10] = [
    "code",
    "name",
    "field",
    "level",
    "agency",
    "time_limit",
    "time_limit_days",
    "fee",
    "online_level",
    "source",
];

/// Parse catalog CSV text with the header
/// `code,name,field,level,agency,time_limit,time_limit_days,fee,online_level,source`
/// (any column order; an optional `internal` column). A row is rejected when its time limit
/// is missing or unreadable, disagrees with `time_limit_days`, or its code, name, level or
/// online level is invalid, or its code repeats an earlier row.
pub fn parse_catalog_csv(text: &str) -> CatalogImport {
    let mut out = CatalogImport::default();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.rejected.push(Rejected {
                line: 1,
                code: String::new(),
                reason: format!("Không đọc được dòng tiêu đề: {e}"),
            });
            return out;
        }
    };
    let col: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| !col.contains_key(c))
        .collect();
    if !missing.is_empty() {
        out.rejected.push(Rejected {
            line: 1,
            code: String::new(),
            reason: format!("Thiếu cột: {}.", missing.join(", ")),
        });
        return out;
    }
    let mut seen: HashMap<ProcedureCode, usize> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| line_at(text, p.byte())).unwrap_or(0);
                out.rejected.push(Rejected {
                    line,
                    code: String::new(),
                    reason: format!("Dòng CSV không hợp lệ: {e}"),
                });
                continue;
            }
        };
        // Counted from the byte offset: the reader's line count is one short on CRLF files.
        let line = record
            .position()
            .map(|p| line_at(text, p.byte()))
            .unwrap_or(0);
        let cell = |name: &str| -> String {
            col.get(name)
                .and_then(|&i| record.get(i))
                .map(|s| s.nfc().collect::<String>().trim().to_string())
                .unwrap_or_default()
        };
        let raw_code = cell("code");
        match parse_row(line, &cell) {
            Ok(row) => {
                if let Some(code) = &row.code {
                    if let Some(first) = seen.get(code) {
                        out.rejected.push(Rejected {
                            line,
                            code: raw_code,
                            reason: format!("Trùng mã thủ tục với dòng {first}."),
                        });
                        continue;
                    }
                    seen.insert(code.clone(), line);
                }
                out.rows.push(row);
            }
            Err(reason) => out.rejected.push(Rejected {
                line,
                code: raw_code,
                reason,
            }),
        }
    }
    out
}

/// 1-based line number of byte offset `byte`.
fn line_at(text: &str, byte: u64) -> usize {
    let bytes = text.as_bytes();
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
    // After a CR terminator the record's offset points at the LF that ends the line.
    while bytes.get(end).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        end += 1;
    }
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

fn parse_row(line: usize, cell: &dyn Fn(&str) -> String) -> Result<ProcedureRow, String> {
    let code_text = cell("code");
    let code = if code_text.is_empty() {
        None
    } else {
        Some(ProcedureCode::parse(&code_text).map_err(|e| e.to_string())?)
    };
    let name = cell("name");
    if name.is_empty() {
        return Err("Thiếu tên thủ tục.".into());
    }
    let level = match cell("level").to_lowercase().as_str() {
        "tỉnh" => ProcedureLevel::Province,
        "huyện" => ProcedureLevel::District,
        "xã" => ProcedureLevel::Commune,
        "liên thông" => ProcedureLevel::Interlinked,
        other => return Err(format!("Cấp thực hiện \"{other}\" không hợp lệ.")),
    };
    let online_level = match cell("online_level").to_lowercase().as_str() {
        "toàn trình" => OnlineLevel::Full,
        "một phần" => OnlineLevel::Partial,
        "" | "không" => OnlineLevel::NotOnline,
        other => return Err(format!("Mức độ trực tuyến \"{other}\" không hợp lệ.")),
    };
    let time_limit_text = cell("time_limit");
    let time_limit = parse_time_limit(&time_limit_text)?;
    let days_cell = cell("time_limit_days");
    if !days_cell.is_empty() {
        let days: u32 = days_cell.parse().map_err(|_| {
            format!("Cột số ngày làm việc \"{days_cell}\" không phải là số nguyên.")
        })?;
        let agrees = matches!(
            time_limit.working(),
            Some(WorkingLimit::Days(n)) if n == days
        );
        if !agrees {
            return Err(format!(
                "Thời hạn \"{time_limit_text}\" không khớp với số ngày làm việc {days}."
            ));
        }
    }
    let internal = matches!(
        cell("internal").to_lowercase().as_str(),
        "1" | "true" | "x" | "có"
    );
    Ok(ProcedureRow {
        line,
        code,
        name,
        field: cell("field"),
        level,
        agency: cell("agency"),
        time_limit_text,
        time_limit,
        fee_text: cell("fee"),
        online_level,
        internal,
        source: cell("source"),
    })
}

/// Read a published time limit (NĐ 63/2010 Điều 8 k2: each TTHC states its time limit):
/// - "trong ngày", "ngay trong ngày …" → 0 working days (due the same day), with the
///   afternoon cut-off if the text names one ("sau 15 giờ", "sau 03 giờ chiều");
/// - otherwise the first "N ngày làm việc" → N working days, "N giờ" → N working hours,
///   "N ngày" → N calendar days. Qualifiers that follow ("kể từ ngày nhận đủ hồ sơ hợp lệ",
///   "trường hợp phải xác minh thì không quá 08 ngày làm việc") are kept in the text only.
///
/// Errors are Vietnamese reasons for the import report.
pub fn parse_time_limit(text: &str) -> Result<LegalTimeLimit, String> {
    let lower: String = text.nfc().collect::<String>().trim().to_lowercase();
    if lower.is_empty() {
        return Err("Thiếu thời hạn giải quyết.".into());
    }
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    if lower.starts_with("trong ngày") || lower.starts_with("ngay trong ngày") {
        return Ok(LegalTimeLimit::Working {
            limit: WorkingLimit::Days(0),
            cutoff: same_day_cutoff(&words),
        });
    }
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<u32>() else { continue };
        let next = words.get(i + 1).copied();
        let after = (words.get(i + 2).copied(), words.get(i + 3).copied());
        match next {
            Some("ngày") if after == (Some("làm"), Some("việc")) => {
                return Ok(LegalTimeLimit::Working {
                    limit: WorkingLimit::Days(n),
                    cutoff: None,
                });
            }
            Some("ngày") => return Ok(LegalTimeLimit::CalendarDays(n)),
            Some("giờ") => {
                return Ok(LegalTimeLimit::Working {
                    limit: WorkingLimit::Hours(n),
                    cutoff: None,
                });
            }
            _ => {}
        }
    }
    Err(format!(
        "Không đọc được thời hạn giải quyết \"{}\" (cần dạng \"05 ngày làm việc\", \"08 giờ\" hoặc \"trong ngày\").",
        text.trim()
    ))
}

/// "… sau 15 giờ …" or "… sau 03 giờ chiều …" → 15:00.
fn same_day_cutoff(words: &[&str]) -> Option<NaiveTime> {
    words.windows(3).find_map(|w| {
        let [sau, n, gio] = w else { return None };
        if *sau != "sau" || *gio != "giờ" {
            return None;
        }
        let h: u32 = n.parse().ok()?;
        let pm = words
            .iter()
            .skip_while(|x| *x != gio)
            .nth(1)
            .is_some_and(|x| *x == "chiều");
        let h = if pm && h < 12 { h + 12 } else { h };
        NaiveTime::from_hms_opt(h, 0, 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = include_str!("../../../../data/procedures/procedures.csv");

    fn days(n: u32) -> LegalTimeLimit {
        LegalTimeLimit::Working {
            limit: WorkingLimit::Days(n),
            cutoff: None,
        }
    }

    #[test]
    fn time_limit_texts() {
        assert_eq!(parse_time_limit("03 ngày làm việc"), Ok(days(3)));
        assert_eq!(
            parse_time_limit("15 ngày làm việc, kể từ ngày nhận hồ sơ hợp lệ"),
            Ok(days(15))
        );
        assert_eq!(
            parse_time_limit("Trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ văn bản đề nghị"),
            Ok(days(5))
        );
        assert_eq!(
            parse_time_limit(
                "03 ngày làm việc; trường hợp phải xác minh thì không quá 08 ngày làm việc"
            ),
            Ok(days(3))
        );
        assert_eq!(
            parse_time_limit("Không quá 30 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
            Ok(days(30))
        );
        assert_eq!(
            parse_time_limit("08 giờ"),
            Ok(LegalTimeLimit::Working {
                limit: WorkingLimit::Hours(8),
                cutoff: None
            })
        );
        assert_eq!(
            parse_time_limit("30 ngày"),
            Ok(LegalTimeLimit::CalendarDays(30))
        );
        assert_eq!(
            parse_time_limit("Không quá 20 ngày (không kể thời gian giải phóng mặt bằng)"),
            Ok(LegalTimeLimit::CalendarDays(20))
        );
    }

    #[test]
    fn same_day_limits_and_their_cutoff() {
        let three_pm = NaiveTime::from_hms_opt(15, 0, 0);
        let same_day = |cutoff| LegalTimeLimit::Working {
            limit: WorkingLimit::Days(0),
            cutoff,
        };
        assert_eq!(
            parse_time_limit(
                "Ngay trong ngày tiếp nhận hồ sơ; tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"
            ),
            Ok(same_day(three_pm))
        );
        assert_eq!(
            parse_time_limit(
                "Ngay trong ngày tiếp nhận yêu cầu hoặc trong ngày làm việc tiếp theo nếu tiếp nhận sau 03 giờ chiều"
            ),
            Ok(same_day(three_pm))
        );
        assert_eq!(parse_time_limit("Trong ngày"), Ok(same_day(None)));
        assert_eq!(
            parse_time_limit("Trong ngày làm việc (nếu có xử lý y tế thì không quá 03 ngày)"),
            Ok(same_day(None))
        );
    }

    #[test]
    fn unreadable_time_limits_are_refused_with_a_reason() {
        assert_eq!(
            parse_time_limit("  "),
            Err("Thiếu thời hạn giải quyết.".into())
        );
        for bad in [
            "Không quy định",
            "Tùy theo đợt",
            "Theo hướng dẫn tổ chức kỳ thi tốt nghiệp THPT hằng năm của Bộ Giáo dục và Đào tạo",
            "Rà soát từ ngày 01 tháng 9 đến hết ngày 14 tháng 12 của năm",
        ] {
            let e = parse_time_limit(bad).unwrap_err();
            assert!(
                e.starts_with("Không đọc được thời hạn giải quyết"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn small_catalog_with_every_kind_of_rejection() {
        let text = "code,name,field,level,agency,time_limit,time_limit_days,fee,online_level,source,internal\n\
            1.002755,Gia hạn tạm trú,Cư trú,xã,Công an cấp xã,03 ngày làm việc,3,,toàn trình,s,\n\
            1.002755,Gia hạn tạm trú (bản sao),Cư trú,xã,Công an cấp xã,03 ngày làm việc,3,,,s,\n\
            1.00x,Sai mã,Cư trú,xã,Công an cấp xã,03 ngày làm việc,3,,,s,\n\
            ,Không mã,Giáo dục,tỉnh,Sở GD&ĐT,10 ngày,,,một phần,s,1\n\
            1.000001,Thiếu thời hạn,Cư trú,xã,UBND cấp xã,,,,,s,\n\
            1.000002,Lệch số ngày,Cư trú,xã,UBND cấp xã,05 ngày làm việc,7,,,s,\n\
            1.000003,Sai cấp,Cư trú,trung ương,UBND cấp xã,05 ngày làm việc,5,,,s,\n";
        let import = parse_catalog_csv(text);
        assert_eq!(import.rows.len(), 2);
        assert_eq!(import.rows[0].online_level, OnlineLevel::Full);
        assert_eq!(import.rows[1].code, None);
        assert_eq!(import.rows[1].time_limit, LegalTimeLimit::CalendarDays(10));
        assert!(import.rows[1].internal);
        let reasons: Vec<(usize, &str)> = import
            .rejected
            .iter()
            .map(|r| (r.line, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (3, "Trùng mã thủ tục với dòng 2."),
                (
                    4,
                    "Mã thủ tục \"1.00x\" không hợp lệ (dạng 1.001234 hoặc 1.000948.H38)."
                ),
                (6, "Thiếu thời hạn giải quyết."),
                (
                    7,
                    "Thời hạn \"05 ngày làm việc\" không khớp với số ngày làm việc 7."
                ),
                (8, "Cấp thực hiện \"trung ương\" không hợp lệ."),
            ]
        );
    }

    #[test]
    fn a_missing_column_rejects_the_file() {
        let import = parse_catalog_csv("code,name\n1.002755,Gia hạn tạm trú\n");
        assert!(import.rows.is_empty());
        assert_eq!(import.rejected.len(), 1);
        assert!(
            import.rejected[0]
                .reason
                .starts_with("Thiếu cột: field, level")
        );
    }

    #[test]
    fn the_real_catalog() {
        let import = parse_catalog_csv(CATALOG);
        assert_eq!(import.rows.len() + import.rejected.len(), 382);
        assert_eq!(import.rejected.len(), 53);
        assert_eq!(import.rows.len(), 329);
        let missing = import
            .rejected
            .iter()
            .filter(|r| r.reason == "Thiếu thời hạn giải quyết.")
            .count();
        assert_eq!(missing, 47);
        // The six texts that are not a duration, checked by hand: a review window (62), an
        // exam guideline (314), "Tùy theo đợt" (318), "Không quy định" (344, 350, 359).
        let unreadable: Vec<usize> = import
            .rejected
            .iter()
            .filter(|r| r.reason.starts_with("Không đọc được"))
            .map(|r| r.line)
            .collect();
        assert_eq!(unreadable, vec![62, 314, 318, 344, 350, 359]);

        // Line 2, checked by hand: 1.002755 Gia hạn tạm trú, 03 ngày làm việc, xã.
        let first = &import.rows[0];
        assert_eq!(first.line, 2);
        assert_eq!(first.code.as_ref().map(|c| c.as_str()), Some("1.002755"));
        assert_eq!(first.name, "Gia hạn tạm trú");
        assert_eq!(first.level, ProcedureLevel::Commune);
        assert_eq!(first.agency, "Công an cấp xã");
        assert_eq!(first.time_limit, days(3));
        assert_eq!(first.online_level, OnlineLevel::NotOnline);
        assert!(first.fee_text.starts_with("Trực tiếp: 10.000 đồng"));

        let by_limit = |l: LegalTimeLimit| import.rows.iter().filter(|r| r.time_limit == l).count();
        // 40 × "03 ngày làm việc" + 3 × "03 ngày làm việc; trường hợp … xác minh …".
        assert_eq!(by_limit(days(3)), 43);
        assert_eq!(by_limit(LegalTimeLimit::CalendarDays(30)), 15);
        let online_full = import
            .rows
            .iter()
            .filter(|r| r.online_level == OnlineLevel::Full)
            .count();
        assert!(online_full > 0);
    }
}
