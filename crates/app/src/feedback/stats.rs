//! Thống kê phản ánh, kiến nghị — per unit and kind for a period, counted by the same rule
//! as 766 group 5 (`domain::feedback::facts`: each feedback once, in the period of its
//! first reception, judged at the period's end or today), with the units' rejected and published
//! counts; as JSON and as a workbook or PDF with the official header.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::feedback::Kind;
use domain::feedback::facts::FeedbackFact;
use domain::indicator::UnitPeriodFacts;
use serde::Serialize;

use crate::{App, Caller, ServiceError};

/// One unit's counts (or the total).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct FeedbackStat {
    pub unit_code: String,
    pub unit_name: String,
    pub received: u64,
    /// About regulations, procedures, dossiers (766 5.1 (a)).
    pub about_regulations: u64,
    /// About officials' conduct (766 5.1 (b)).
    pub about_conduct: u64,
    /// Handled by the due date.
    pub on_time: u64,
    /// Still open within the due date at the period's end.
    pub pending_within: u64,
    /// Handled late, or open past the due date at the period's end.
    pub late: u64,
    pub rejected: u64,
    pub published: u64,
    /// Disliked, complained about again, or late (766 5.3).
    pub unsatisfactory: u64,
}

/// The statistics of the caller's scope for a period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FeedbackStats {
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub units: Vec<FeedbackStat>,
    pub total: FeedbackStat,
}

/// One feedback as `domain::feedback::facts` counts it (dates in Vietnam time).
pub(crate) fn fact_of(r: &store::feedback::FactRow) -> FeedbackFact {
    FeedbackFact {
        kind: Kind::parse(&r.kind).unwrap_or(Kind::Regulation),
        received_on: super::day_of(r.created_at),
        due_on: r.due_on,
        handled_on: r.handled_at.map(super::day_of),
        likes: r.likes.into(),
        dislikes: r.dislikes.into(),
        recomplained: r.recomplained,
    }
}

/// The instants bounding the days `from..=to` (Vietnam time): `[from 00:00, to+1 00:00)`.
pub(crate) fn bounds(from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at = |d: NaiveDate| domain::time::utc(d.and_hms_opt(0, 0, 0).unwrap_or_default());
    (at(from), at(to + Duration::days(1)))
}

impl FeedbackStat {
    fn count(&mut self, rows: &[store::feedback::FactRow], from: NaiveDate, to: NaiveDate) {
        let facts: Vec<FeedbackFact> = rows.iter().map(fact_of).collect();
        let mut f = UnitPeriodFacts::default();
        domain::feedback::facts::add(&facts, from, to, super::today(), &mut f);
        self.received = f.feedback_received;
        self.about_regulations = f.feedback_about_regulations;
        self.about_conduct = f.feedback_about_staff;
        self.on_time = f.feedback_answered_on_time;
        self.pending_within = f.feedback_pending_within_deadline;
        self.late =
            f.feedback_received - f.feedback_answered_on_time - f.feedback_pending_within_deadline;
        self.unsatisfactory = f.feedback_unsatisfactory;
        self.rejected = rows.iter().filter(|r| r.status == "rejected").count() as u64;
        self.published = rows.iter().filter(|r| r.status == "published").count() as u64;
    }

    fn add(&mut self, o: &FeedbackStat) {
        self.received += o.received;
        self.about_regulations += o.about_regulations;
        self.about_conduct += o.about_conduct;
        self.on_time += o.on_time;
        self.pending_within += o.pending_within;
        self.late += o.late;
        self.unsatisfactory += o.unsatisfactory;
        self.rejected += o.rejected;
        self.published += o.published;
    }
}

/// The statistics of the caller's scope (`period` as the indicators take it: "2026-11",
/// "2026-Q3", "2026").
pub async fn stats(
    app: &App,
    caller: &Caller,
    period: Option<&str>,
) -> Result<FeedbackStats, ServiceError> {
    let (period, from, to) = crate::indicator::resolve_period(period, None)?;
    let (start, end) = bounds(from, to);
    let rows =
        store::feedback::fact_rows(&app.db, caller.principal.scope().prefix(), start, end).await?;
    let mut total = FeedbackStat {
        unit_name: "Tổng cộng".into(),
        ..Default::default()
    };
    let mut units: Vec<FeedbackStat> = rows
        .chunk_by(|a, b| a.agency_code == b.agency_code)
        .map(|group| {
            let mut s = FeedbackStat {
                unit_code: group[0].agency_code.clone(),
                unit_name: group[0].agency_name.clone(),
                ..Default::default()
            };
            s.count(group, from, to);
            total.add(&s);
            s
        })
        .collect();
    units.sort_by(|a, b| {
        b.received
            .cmp(&a.received)
            .then_with(|| a.unit_name.cmp(&b.unit_name))
    });
    Ok(FeedbackStats {
        period,
        from,
        to,
        units,
        total,
    })
}

/// The statistics as a document (the caller renders it to xlsx or pdf).
pub fn stats_doc(s: &FeedbackStats, issuer: &str) -> reports::PeriodReportDoc {
    let row = |x: &FeedbackStat| {
        vec![
            x.unit_name.clone(),
            x.received.to_string(),
            x.about_regulations.to_string(),
            x.about_conduct.to_string(),
            x.on_time.to_string(),
            x.pending_within.to_string(),
            x.late.to_string(),
            x.rejected.to_string(),
            x.published.to_string(),
            x.unsatisfactory.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = s.units.iter().map(row).collect();
    if !s.units.is_empty() {
        rows.push(row(&s.total));
    }
    let col = |h: &str, w: f32, right: bool| (h.to_string(), w, right);
    reports::PeriodReportDoc {
        header: reports::DocHeader {
            issuer_parent: "UBND TỈNH NGHỆ AN".into(),
            issuer: issuer.to_uppercase(),
            place: "Nghệ An".into(),
            date: super::today(),
            title: "THỐNG KÊ TIẾP NHẬN, XỬ LÝ PHẢN ÁNH, KIẾN NGHỊ".into(),
            subtitle: Some(format!(
                "(Từ ngày {} đến ngày {})",
                domain::fmt::date_vn(&s.from),
                domain::fmt::date_vn(&s.to)
            )),
        },
        number: String::new(),
        info: vec![("Kỳ".into(), s.period.clone())],
        tables: vec![reports::PeriodTable {
            title: None,
            columns: vec![
                col("Đơn vị", 3.0, false),
                col("Tiếp nhận", 1.0, true),
                col("Về quy định, thủ tục", 1.2, true),
                col("Về hành vi cán bộ", 1.2, true),
                col("Đúng hạn", 1.0, true),
                col("Đang xử lý trong hạn", 1.2, true),
                col("Trễ hạn", 1.0, true),
                col("Từ chối", 1.0, true),
                col("Đã công khai", 1.0, true),
                col("Chưa hài lòng", 1.0, true),
            ],
            rows,
            empty_text: "Không có phản ánh, kiến nghị trong kỳ.".into(),
        }],
        notes: vec![
            "Mỗi phản ánh tính một lần theo ngày tiếp nhận đầu tiên; đúng hạn: đã xử lý (chờ công khai, đã công khai, từ chối, gộp) không muộn hơn hạn trả lời; chưa hài lòng: đánh giá không hài lòng, bị phản ánh lại hoặc trễ hạn (Bộ chỉ số 766, nhóm 5).".into(),
        ],
    }
}
