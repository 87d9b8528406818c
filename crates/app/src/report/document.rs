//! A report and the province's summary as documents: values as printed, tables, the XLSX and PDF bytes.

use super::*;

/// A value as the pages and files print it: 1.234 · 85,50 · dd/mm/yyyy · text; "—" when
/// there is none.
pub fn display(ft: FieldType, v: Option<&Value>) -> String {
    match (ft, v) {
        (_, None | Some(Value::Null)) => "—".into(),
        (FieldType::Integer, Some(v)) => v
            .as_f64()
            .map(|x| domain::fmt::int_vn(x.round() as i64))
            .unwrap_or_else(|| v.to_string()),
        (FieldType::Percent, Some(v)) => v
            .as_f64()
            .map(reports::vn2)
            .unwrap_or_else(|| v.to_string()),
        (FieldType::Date, Some(Value::String(s))) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| domain::fmt::date_vn(&d))
            .unwrap_or_else(|_| s.clone()),
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(v)) => v.to_string(),
    }
}

/// The value of a typed field as its form input shows it.
pub fn input_text(ft: FieldType, v: Option<&Value>) -> String {
    match (ft, v) {
        (_, None | Some(Value::Null)) => String::new(),
        (FieldType::Text, Some(Value::String(s))) => s.clone(),
        (ft, v) => display(ft, v),
    }
}

/// "+1", "-2", "+0,35": the sign always, decimals for percents only.
pub fn difference_text(c: &Correction, ft: FieldType) -> String {
    let Some(d) = c.difference else {
        return "—".into();
    };
    let text = if ft == FieldType::Integer {
        domain::fmt::int_vn(d.round() as i64)
    } else {
        reports::vn2(d)
    };
    if d > 0.0 { format!("+{text}") } else { text }
}

/// The numbers (with where each comes from), then the texts the unit wrote.
fn field_tables(t: &Template, values: &Values) -> Vec<reports::PeriodTable> {
    let numbers = reports::PeriodTable {
        title: Some("I. Số liệu".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 5.0, false),
            ("Giá trị".into(), 1.6, true),
            ("Nguồn số liệu".into(), 1.6, false),
        ],
        rows: t
            .fields
            .iter()
            .filter(|f| f.field_type != FieldType::Text)
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    f.label.clone(),
                    display(f.field_type, values.get(&f.key)),
                    if f.is_computed() {
                        "Hệ thống".into()
                    } else {
                        "Đơn vị nhập".into()
                    },
                ]
            })
            .collect(),
        empty_text: "Không có chỉ tiêu".into(),
    };
    let texts = reports::PeriodTable {
        title: Some("II. Nội dung".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Mục".into(), 2.4, false),
            ("Nội dung".into(), 5.8, false),
        ],
        rows: t
            .fields
            .iter()
            .filter(|f| f.field_type == FieldType::Text)
            .enumerate()
            .map(|(i, f)| {
                vec![
                    (i + 1).to_string(),
                    f.label.clone(),
                    display(f.field_type, values.get(&f.key)),
                ]
            })
            .collect(),
        empty_text: "Không có nội dung".into(),
    };
    if texts.rows.is_empty() {
        vec![numbers]
    } else {
        vec![numbers, texts]
    }
}

/// "Báo cáo … tháng" + "tháng 10 năm 2023" → "Báo cáo … tháng 10 năm 2023": the name's
/// last word is not repeated when the period's label starts with it.
pub fn title_of(name: &str, period_label: &str) -> String {
    let first = period_label.split_whitespace().next().unwrap_or("");
    let name = name
        .strip_suffix(first)
        .map(str::trim_end)
        .filter(|n| !first.is_empty() && n.len() < name.len())
        .unwrap_or(name);
    format!("{name} {period_label}")
}

/// The file of a report. `as_of_freeze`: exactly the numbers frozen at closing, dated the
/// day of the freeze — built from the snapshot alone, so it is the same file every time
/// (byte for byte). Otherwise the report as it stands now (frozen numbers plus the
/// corrections section once closed), dated today.
pub fn document(v: &View, as_of_freeze: bool) -> Result<reports::PeriodReportDoc, ServiceError> {
    let t = v.template;
    let r = &v.report;
    let (values, date, unit, unit_name, status) = match (&v.frozen, as_of_freeze) {
        (Some(s), true) => (
            &s.values,
            local(s.as_of).date(),
            s.unit.clone(),
            s.unit_name.clone(),
            s.status.clone(),
        ),
        (None, true) => {
            return Err(ServiceError::Conflict(
                "Báo cáo chưa khóa sổ nên chưa có bản số liệu khóa sổ.".into(),
            ));
        }
        // A report sent is dated the day it was sent; a draft, today.
        (_, false) => (
            &v.values,
            r.submitted_at
                .map(|t| local(t).date())
                .unwrap_or_else(today),
            r.agency_code.clone(),
            r.agency_name.clone(),
            r.status.clone(),
        ),
    };
    let status_label = ReportStatus::parse(&status).map_or("", ReportStatus::label);
    let mut info = vec![
        (
            "Đơn vị báo cáo".to_string(),
            format!("{unit_name} ({unit})"),
        ),
        (
            "Kỳ báo cáo".to_string(),
            format!(
                "{} (số liệu từ ngày {} đến ngày {})",
                v.period.label_vi(),
                domain::fmt::date_vn(&r.period_from),
                domain::fmt::date_vn(&r.period_to)
            ),
        ),
        ("Hạn gửi".to_string(), domain::fmt::date_vn(&r.due_on)),
        ("Tình trạng".to_string(), status_label.to_string()),
    ];
    if let Some(s) = &v.frozen {
        info.push((
            "Số liệu khóa sổ lúc".into(),
            domain::fmt::datetime_vn(&s.as_of),
        ));
    }
    let mut tables = field_tables(t, values);
    if !as_of_freeze && v.frozen.is_some() {
        tables.push(corrections_table(&v.corrections, t));
    }
    Ok(reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: unit_name.to_uppercase(),
            place: "Nghệ An".into(),
            date,
            title: title_of(&t.name, &v.period.label_vi()).to_uppercase(),
            subtitle: Some(format!(
                "(Biểu mẫu {}, phiên bản có hiệu lực từ {})",
                t.code,
                domain::fmt::date_vn(&t.effective_from)
            )),
        },
        // The number is given by the issuing office's register when the report is signed
        // (NĐ 30/2020 Điều 15): the draft leaves it blank, as a paper draft does.
        number: format!("      /BC-{unit}"),
        info,
        tables,
        notes: vec![format!("Căn cứ: {}.", t.legal_basis.join("; "))],
    })
}

fn corrections_table(cs: &[Correction], t: &Template) -> reports::PeriodTable {
    let ft = |k: &str| t.field(k).map_or(FieldType::Text, |f| f.field_type);
    reports::PeriodTable {
        title: Some("Điều chỉnh sau khi khóa sổ".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 4.2, false),
            ("Số liệu khóa sổ".into(), 1.6, true),
            ("Số liệu hiện tại".into(), 1.6, true),
            ("Chênh lệch".into(), 1.4, true),
        ],
        rows: cs
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    (i + 1).to_string(),
                    c.label.clone(),
                    display(ft(&c.key), Some(&c.frozen)),
                    display(ft(&c.key), Some(&c.live)),
                    difference_text(c, ft(&c.key)),
                ]
            })
            .collect(),
        empty_text: "Không có số liệu đến muộn sau khi khóa sổ.".into(),
    }
}

/// The province's sums as a file, dated today (or the closing day once closed).
pub fn summary_document(s: &Summary, issuer: &str) -> reports::PeriodReportDoc {
    let t = templates()
        .ok()
        .and_then(|ts| ts.get(&s.template, s.to))
        .cloned();
    let totals = reports::PeriodTable {
        title: Some(format!(
            "Tổng hợp số liệu của {}/{} đơn vị đã gửi báo cáo",
            s.sent, s.obliged
        )),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Chỉ tiêu".into(), 5.0, false),
            ("Tổng hợp".into(), 2.0, true),
            ("Số báo cáo".into(), 1.4, true),
        ],
        rows: s
            .totals
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let label = if x.field_type == FieldType::Percent {
                    format!("{} (bình quân)", x.label)
                } else {
                    x.label.clone()
                };
                vec![
                    (i + 1).to_string(),
                    label,
                    display(x.field_type, x.value.map(Value::from).as_ref()),
                    x.reports.to_string(),
                ]
            })
            .collect(),
        empty_text: "Chưa có báo cáo nào được gửi.".into(),
    };
    let missing = reports::PeriodTable {
        title: Some("Đơn vị chưa gửi báo cáo".into()),
        columns: vec![
            ("STT".into(), 0.6, false),
            ("Đơn vị".into(), 5.0, false),
            ("Tình trạng".into(), 2.0, false),
            ("Quá hạn".into(), 1.4, false),
        ],
        rows: s
            .missing
            .iter()
            .enumerate()
            .map(|(i, u)| {
                vec![
                    (i + 1).to_string(),
                    format!("{} ({})", u.unit_name, u.unit),
                    u.status_label.clone(),
                    if u.late {
                        "Quá hạn".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
        empty_text: "Tất cả đơn vị đã gửi báo cáo.".into(),
    };
    let date = s.closed_at.map(|c| local(c).date()).unwrap_or_else(today);
    reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: issuer.to_uppercase(),
            place: "Nghệ An".into(),
            date,
            title: format!("Tổng hợp {}", title_of(&s.template_name, &s.period_label))
                .to_uppercase(),
            subtitle: Some(format!("(Biểu mẫu {})", s.template)),
        },
        number: String::new(),
        info: vec![
            (
                "Kỳ báo cáo".into(),
                format!(
                    "{} (số liệu từ ngày {} đến ngày {})",
                    s.period_label,
                    domain::fmt::date_vn(&s.from),
                    domain::fmt::date_vn(&s.to)
                ),
            ),
            ("Hạn gửi".into(), domain::fmt::date_vn(&s.due_on)),
            (
                "Khóa sổ".into(),
                s.closed_at
                    .map(|c| domain::fmt::datetime_vn(&c))
                    .unwrap_or_else(|| "Chưa khóa sổ".into()),
            ),
        ],
        tables: vec![totals, missing],
        notes: t
            .map(|t| vec![format!("Căn cứ: {}.", t.legal_basis.join("; "))])
            .unwrap_or_default(),
    }
}

/// The file's bytes, MIME type and extension (`xlsx` or `pdf`).
pub fn render(
    doc: &reports::PeriodReportDoc,
    format: &str,
) -> Result<(Vec<u8>, &'static str, &'static str), ServiceError> {
    match format {
        "xlsx" => Ok((
            reports::period_report_xlsx(doc)
                .map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )),
        "pdf" => Ok((
            reports::period_report_pdf(doc)
                .map_err(|e| ServiceError::Internal(format!("pdf: {e}")))?,
            "application/pdf",
            "pdf",
        )),
        _ => Err(ServiceError::bad("Định dạng tệp phải là xlsx hoặc pdf.")),
    }
}
