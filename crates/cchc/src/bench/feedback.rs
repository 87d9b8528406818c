//! `cchc bench feedback`: phản ánh, kiến nghị at province scale. The demo province plus a
//! year of generated feedback, `scale` times the demo's volume (each one submitted and
//! handled through the same operations as the staff's: accepted, assigned, answered,
//! approved, published, some late, rejected, forwarded or complained about again); then
//! the time of what the queue, the statistics, the indicators, the overdue list and the
//! public portal read, through the real router, beside the baseline of the same run: the
//! bare read of the year's feedback rows (`store::feedback::fact_rows`), which the
//! statistics and group 5 must at least do.

use std::time::Instant;

use anyhow::anyhow;
use chrono::{Datelike, Utc};
use store::Db;

use super::{Figures, time_get};

pub struct FeedbackFigures {
    pub feedback: i64,
    pub generate_s: f64,
    pub per_second: f64,
    pub baseline: Figures,
    pub rows: Vec<Figures>,
}

pub async fn feedback(db: Db, scale: u32, runs: usize) -> anyhow::Result<FeedbackFigures> {
    if store::agency::count(&db).await? > 0 {
        return Err(anyhow!("cần một cơ sở dữ liệu trống để sinh dữ liệu thử"));
    }
    crate::demo::load(&db, "bench-password-1").await?;
    let now = Utc::now();
    let t0 = Instant::now();
    let n = crate::demo_feedback::generate(&db, now, scale).await?;
    let generate_s = t0.elapsed().as_secs_f64();
    let (_, feedback) = store::feedback::list(
        &db,
        &store::feedback::Filter::default(),
        store::Page::new(Some(1), None),
    )
    .await?;
    println!(
        "Sinh dữ liệu: {n} phản ánh, kiến nghị (đã xử lý qua các bước) trong {generate_s:.1} s ({}).",
        db.backend()
    );

    let today = domain::time::local(now).date();
    let year_start = domain::time::utc(
        chrono::NaiveDate::from_ymd_opt(today.year() - 1, today.month(), 1)
            .unwrap_or(today)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    );
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs + 2 {
        let t = Instant::now();
        let rows = store::feedback::fact_rows(&db, None, year_start, now).await?;
        samples.push(t.elapsed());
        std::hint::black_box(rows);
    }
    samples.drain(..2);
    samples.sort();
    let baseline = Figures {
        label: "store::feedback::fact_rows (đọc mọi phản ánh trong 12 tháng)".into(),
        median: samples[samples.len() / 2],
        p95: samples[(samples.len() * 95 / 100).min(samples.len() - 1)],
    };

    let state = web::AppState::new(db.clone(), web::AppConfig::default())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let router = web::app(state);
    let mut tokens = std::collections::HashMap::new();
    for who in ["vanphong", "lanhdao.stp"] {
        let u = store::user::get_by_username(&db, who).await?;
        let (token, _) = store::session::create(
            &db,
            u.id,
            store::session::SessionKind::Api,
            chrono::Duration::hours(1),
        )
        .await?;
        tokens.insert(who, token);
    }
    let last_month = app::indicator::public::last_complete_month(today).to_string();
    let year = today.year();
    let paths: Vec<(&str, String)> = vec![
        ("vanphong", "/api/v1/feedback".into()),
        ("vanphong", "/api/v1/feedback?q=chung%20thuc".into()),
        ("vanphong", "/api/v1/feedback?overdue=true".into()),
        ("lanhdao.stp", "/api/v1/feedback?status=processing".into()),
        ("vanphong", format!("/api/v1/feedback/stats?period={year}")),
        ("lanhdao.stp", "/phan-anh-kien-nghi".into()),
        ("vanphong", "/phan-anh-kien-nghi/thong-ke".into()),
        (
            "vanphong",
            format!("/api/v1/indicators?unit=UBND-TINH&period={last_month}"),
        ),
        (
            "vanphong",
            format!("/api/v1/overdue?unit=UBND-TINH&period={last_month}&limit=200"),
        ),
        ("vanphong", "/api/v1/feedback/published?q=ban%20sao".into()),
        ("vanphong", "/phan-anh/cong-khai".into()),
        ("vanphong", "/cong-khai".into()),
        (
            "vanphong",
            format!("/cong-khai/chi-so-766?ky={last_month}&loai=ubnd_xa"),
        ),
    ];
    let mut rows = Vec::new();
    for (who, p) in &paths {
        let mut f = time_get(&router, &tokens[who], p, runs).await?;
        f.label = format!("{who:<12} {p}");
        rows.push(f);
    }
    Ok(FeedbackFigures {
        feedback,
        generate_s,
        per_second: n as f64 / generate_s.max(1e-9),
        baseline,
        rows,
    })
}
