//! The list as the XLSX shows it, and the labels the page shares with it.

use chrono::NaiveDateTime;

use super::{NO_REASON, OverdueReport, UnitTotal};
use crate::dossier::local;

pub fn period_line(r: &OverdueReport) -> String {
    format!(
        "Kỳ: {} (từ {} đến {}); tình hình tính đến {}",
        r.period,
        domain::fmt::date_vn(&r.from),
        domain::fmt::date_vn(&r.to),
        r.cut_off.format("%H:%M %d/%m/%Y")
    )
}

/// The rows as the XLSX shows them (the same rows as the API, in the same order).
pub fn sheet(r: &OverdueReport, issuer: &str) -> reports::OverdueSheet {
    let total = |t: &UnitTotal| reports::OverdueTotal {
        unit: t.unit.clone(),
        dossiers: t.dossiers,
        tasks: t.tasks,
        feedback: t.feedback,
        with_reason: t.with_reason,
        without_reason: t.without_reason,
    };
    reports::OverdueSheet {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: issuer.to_uppercase(),
            place: "Nghệ An".into(),
            date: local(r.generated_at).date(),
            title: "DANH SÁCH HỒ SƠ, NHIỆM VỤ, PHẢN ÁNH, KIẾN NGHỊ QUÁ HẠN".into(),
            subtitle: Some(
                "(Theo Công văn số 6486/UBND-KSTT ngày 07/8/2023 của UBND tỉnh, mục 3)".into(),
            ),
        },
        info: vec![
            format!("Đơn vị: {} ({})", r.unit_name, r.unit),
            period_line(r),
            format!(
                "Thời điểm lập: {}",
                domain::fmt::datetime_vn(&r.generated_at)
            ),
        ],
        totals: r.totals.iter().map(total).collect(),
        total: total(&r.total),
        lines: r
            .rows
            .iter()
            .map(|x| reports::OverdueLine {
                kind: kind_label(&x.kind).into(),
                unit: x.unit.clone(),
                code: x.code.clone(),
                title: x.title.clone(),
                origin: if x.kind != "dossier" {
                    x.source.clone()
                } else {
                    x.receiving_unit.clone().unwrap_or_default()
                },
                handling: x.handling_unit.clone().unwrap_or_default(),
                step: match (&x.step, x.step_late) {
                    (Some(s), true) => format!("{s} (bước chậm)"),
                    (Some(s), false) => s.clone(),
                    _ => String::new(),
                },
                officer: x.officer.clone().unwrap_or_default(),
                due: when(&x.due, &x.kind),
                finished: opt_when(&x.finished, &x.kind),
                days_late: x.days_late,
                days_unit: unit_label(&x.days_unit).into(),
                reason: x.reason.clone().unwrap_or_else(|| NO_REASON.into()),
                apology: match x.apology {
                    Some(true) => "Có".into(),
                    Some(false) => "Không".into(),
                    None => String::new(),
                },
            })
            .collect(),
    }
}

/// "dd/mm/yyyy HH:MM" of a dossier's local time; just the date for a task or a feedback
/// (their limits are days).
pub fn when(t: &NaiveDateTime, kind: &str) -> String {
    if kind == "dossier" {
        t.format("%d/%m/%Y %H:%M").to_string()
    } else {
        t.format("%d/%m/%Y").to_string()
    }
}

pub fn opt_when(t: &Option<NaiveDateTime>, kind: &str) -> String {
    t.as_ref().map(|t| when(t, kind)).unwrap_or_default()
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "task" => "Nhiệm vụ",
        "feedback" => "Phản ánh, kiến nghị",
        _ => "Hồ sơ",
    }
}

pub fn unit_label(days_unit: &str) -> &'static str {
    if days_unit == "working" {
        "ngày làm việc"
    } else {
        "ngày"
    }
}
