//! `cchc bench par`: the PAR INDEX at province scale. The demo province plus `units`
//! generated departments, a 2025 round opened for all of them on the demo set (70 scored
//! items a card), every card self-assessed, appraised and surveyed; then the time of the
//! screens the secretariat and the leaders open — the ranking, the province-wide gaps, a
//! scorecard, the round page, the appendix — through the real router, before and after
//! publication, beside the baseline of the same run: the bare read of the round's items
//! (`store::par::round_points`), which every ranking must at least do.

use std::time::Instant;

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use domain::org::AgencyKind;
use store::Db;
use store::audit::Actor;

use super::{Figures, time_get};

pub struct ParFigures {
    pub units: usize,
    pub items: i64,
    pub generate_s: f64,
    pub publish_ms: f64,
    pub baseline: Figures,
    pub rows: Vec<Figures>,
}

pub async fn par(db: Db, units: usize, runs: usize) -> anyhow::Result<ParFigures> {
    if store::agency::count(&db).await? > 0 {
        return Err(anyhow!("cần một cơ sở dữ liệu trống để sinh dữ liệu thử"));
    }
    let t0 = Instant::now();
    crate::demo::load(&db, "bench-password-1").await?;
    let root = store::agency::get_by_code(&db, "UBND-TINH").await?;
    let actor = Actor::system("bench");
    for i in 0..units {
        let input = store::agency::AgencyInput {
            code: format!("BENCH-S{i:04}"),
            parent_id: Some(root.id),
            kind: AgencyKind::SoNganh,
            name: format!("Sở thử nghiệm số {i}"),
            short_name: format!("Sở TN {i}"),
            valid_from: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap_or_default(),
            valid_to: None,
            merged_into_id: None,
            legal_basis: None,
        };
        store::agency::create(&db, &input, &actor).await?;
    }
    let state = web::AppState::new(db.clone(), web::AppConfig::default())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let snv = crate::demo_par::caller(&db, "sonoivu").await?;
    let opened = domain::time::utc(
        NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap_or_default()
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default(),
    );
    let r = app::par::open_round_at(
        &state,
        &snv,
        &app::par::OpenRound {
            year: 2025,
            ..Default::default()
        },
        true,
        opened,
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    let cards = store::par::cards(&db, r.id, None).await?;
    let set = app::par::set_of(&state, cards[0].set_id)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let mut sets = std::collections::HashMap::new();
    sets.insert(cards[0].set_id, set.clone());
    for c in &cards {
        crate::demo_par::self_assess(&db, c, &set, 2025, opened, &actor, true).await?;
        crate::demo_par::appraise(&db, c, &set, 2025, opened, &actor, true).await?;
    }
    crate::demo_par::survey(&db, r.id, &cards, &sets, 2025, opened, &actor).await?;
    app::par::start_appraisal(&state, &snv, r.id)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let items = store::par::round_points(&db, r.id).await?.len() as i64;
    let generate_s = t0.elapsed().as_secs_f64();
    println!(
        "Sinh dữ liệu: {} phiếu chấm, {items} dòng điểm trong {generate_s:.1} s ({}).",
        cards.len(),
        db.backend()
    );

    // Baseline: the bare read of the round's points (the lean query every ranking does).
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs + 2 {
        let t = Instant::now();
        let rows = store::par::round_points(&db, r.id).await?;
        samples.push(t.elapsed());
        std::hint::black_box(rows);
    }
    samples.drain(..2);
    samples.sort();
    let baseline = Figures {
        label: "store::par::round_points (đọc điểm mọi tiêu chí)".into(),
        median: samples[samples.len() / 2],
        p95: samples[(samples.len() * 95 / 100).min(samples.len() - 1)],
    };

    let router = web::app(state.clone());
    let u = store::user::get_by_username(&db, "sonoivu").await?;
    let (token, _) = store::session::create(
        &db,
        u.id,
        store::session::SessionKind::Api,
        chrono::Duration::hours(1),
    )
    .await?;
    let id = r.id;
    let paths = [
        format!("/api/v1/par/rounds/{id}/ranking"),
        format!("/api/v1/par/rounds/{id}/gaps"),
        format!("/api/v1/par/rounds/{id}/units/STP"),
        format!("/chi-so-cchc/{id}"),
        format!("/chi-so-cchc/{id}/STP"),
        format!("/api/v1/par/rounds/{id}/appendix?format=xlsx"),
    ];
    let mut rows = Vec::new();
    for p in &paths {
        let mut f = time_get(&router, &token, p, runs).await?;
        f.label = format!("trước công bố  {p}");
        rows.push(f);
    }
    let t = Instant::now();
    app::par::publish(
        &state,
        &snv,
        id,
        &app::par::PublishInput {
            decision: "1/QĐ-UBND (thử)".into(),
            decision_date: "2026-03-02".into(),
            signer_name: None,
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))
    .context("công bố")?;
    let publish_ms = t.elapsed().as_secs_f64() * 1000.0;
    for p in [
        format!("/api/v1/par/rounds/{id}/ranking"),
        format!("/api/v1/par/rounds/{id}/units/STP"),
        format!("/cong-khai/chi-so-cchc?ky={id}"),
    ] {
        let mut f = time_get(&router, &token, &p, runs).await?;
        f.label = format!("sau công bố    {p}");
        rows.push(f);
    }
    Ok(ParFigures {
        units: cards.len(),
        items,
        generate_s,
        publish_ms,
        baseline,
        rows,
    })
}
