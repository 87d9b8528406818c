//! `cchc bench indicators`: the province's 766 facts and scoring, and its overdue list,
//! for several periods, timed from the aggregates, through the page, by the full scan and
//! (optionally) by DuckDB over a CSV export, with a check that all agree.

use std::collections::HashMap;

use chrono::Datelike;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use store::Db;

use super::province::{Province, province};
use super::{Figures, percentile, time_get};

/// Options of `cchc bench indicators`.
#[derive(Debug, Clone)]
pub struct IndicatorBench {
    pub dossiers: usize,
    pub runs: usize,
    /// Runs of the full scan (slow at scale).
    pub scan_runs: usize,
    /// Where to export the data for DuckDB, and the script (`bench/duckdb_766.py`); `None`:
    /// no DuckDB comparison.
    pub duckdb: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// Measure on a database an earlier run generated (`--existing`): no demo load, no
    /// generation.
    pub existing: bool,
}

/// The province's overdue list of one period, timed three ways.
pub struct OverdueFigures {
    /// Dossiers and tasks on the list.
    pub rows: usize,
    /// `GET /api/v1/overdue?…&limit=200` through the router (the page's first screen).
    pub page: Figures,
    /// The same with every row.
    pub all: Figures,
    /// Every row, judging every dossier of the database instead of the indexed candidates.
    pub full_scan: Figures,
    /// DuckDB's query of the overdue dossiers by kind and unit on the export, if run.
    pub duckdb: Option<Duration>,
    /// The full scan gave the same rows, and DuckDB (if run) the same counts by kind and
    /// unit.
    pub same: bool,
}

/// One period's figures.
pub struct PeriodFigures {
    pub label: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// Facts + 766 score + KPIs from the aggregates (`indicators()`).
    pub aggregates: Figures,
    /// The page `/chi-so` of the province through the router.
    pub page: Figures,
    /// Facts by the full scan + the same scoring.
    pub full_scan: Figures,
    /// DuckDB's query on the exported data, if run.
    pub duckdb: Option<Duration>,
    /// Both (and DuckDB, if run) gave the same dossier facts.
    pub same: bool,
    pub received: u64,
    pub processed: u64,
    pub overdue: OverdueFigures,
}

/// What `cchc bench indicators` measured.
pub struct IndicatorFigures {
    pub backend: &'static str,
    pub dossiers: usize,
    pub events: usize,
    pub gen_secs: f64,
    pub rebuild: store::agg::Rebuilt,
    pub export_secs: Option<f64>,
    pub duckdb_load_secs: Option<f64>,
    pub periods: Vec<PeriodFigures>,
}

fn stats(label: &str, mut samples: Vec<Duration>) -> Figures {
    Figures {
        label: label.to_string(),
        median: percentile(&mut samples, 50),
        p95: percentile(&mut samples, 95),
    }
}

/// Generates `opts.dossiers` dossiers over the demo province (aggregates rebuilt after the
/// bulk load), then times the province's 766 facts and scoring for an old month, a recent
/// month, the current month, a year and a 15th→14th window: from the aggregates, through
/// the page, by the full scan, and (optionally) by DuckDB over a CSV export of the same
/// data; checks that all give the same facts.
pub async fn indicators(db: Db, opts: IndicatorBench) -> anyhow::Result<IndicatorFigures> {
    let Province {
        count, gen_secs, ..
    } = province(&db, opts.dossiers, opts.existing).await?;
    let total: i64 = store::on_db!(&db, |p| {
        store::sqlx::query_scalar("select count(*) from dossier")
            .fetch_one(p)
            .await?
    });
    println!(
        "Sinh {} hồ sơ ({} sự kiện) trong {gen_secs:.1} s, trong đó dựng số liệu tổng hợp {:.1} s; tổng {total} hồ sơ.",
        count.dossiers, count.events, count.aggregates.secs
    );

    let (export_secs, duck_load, duck) = match &opts.duckdb {
        Some((dir, script)) => {
            let t = Instant::now();
            let (n, np) = store::indicator::export_csv(&db, dir).await?;
            let export = t.elapsed().as_secs_f64();
            println!("Xuất {n} hồ sơ, {np} lần tạm dừng ra CSV trong {export:.1} s.");
            (
                Some(export),
                None::<f64>,
                Some((dir.clone(), script.clone())),
            )
        }
        None => (None, None, None),
    };

    let state = web::AppState::new(db.clone(), web::AppConfig::default())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let app = web::app(state.clone());
    let leader = store::user::get_by_username(&db, "lanhdao").await?;
    let (token, _) = store::session::create(
        &db,
        leader.id,
        store::session::SessionKind::Api,
        chrono::Duration::hours(2),
    )
    .await?;
    // One moment for the overdue lists of every method (the current month ends now).
    let now = chrono::Utc::now();
    let today = domain::time::day_of(now);
    let prev = today.with_day(1).unwrap_or(today) - chrono::Duration::days(1);
    let periods: Vec<(String, &str)> = vec![
        ("2023-03".into(), "calendar"),
        (prev.format("%Y-%m").to_string(), "calendar"),
        (today.format("%Y-%m").to_string(), "calendar"),
        (format!("{}", today.year() - 1), "calendar"),
        (prev.format("%Y-%m").to_string(), "window"),
    ];
    let mut resolved = Vec::new();
    for (p, mode) in &periods {
        let (_, from, to) =
            app::indicator::resolve_period(Some(p), Some(mode)).map_err(|e| anyhow!("{e:?}"))?;
        resolved.push((format!("{p} ({mode})"), p.clone(), *mode, from, to));
    }

    // DuckDB over the export, all periods in one process (load once).
    let mut duck_results: HashMap<String, (Duration, serde_json::Value)> = HashMap::new();
    let mut duck_overdue: HashMap<String, (Duration, serde_json::Value)> = HashMap::new();
    let mut duck_load_secs = duck_load;
    if let Some((dir, script)) = &duck {
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(script).arg(dir).arg(
            domain::time::local(now)
                .format("%Y-%m-%dT%H:%M:%S%.6f")
                .to_string(),
        );
        for (_, _, _, from, to) in &resolved {
            cmd.arg(format!("{from}:{to}"));
        }
        let out = cmd.output().context("chạy python3 bench/duckdb_766.py")?;
        if !out.status.success() {
            return Err(anyhow!(
                "DuckDB: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or("")
            ));
        }
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let v: serde_json::Value = serde_json::from_str(line)?;
            if let Some(s) = v["load_secs"].as_f64() {
                duck_load_secs = Some(s);
            } else if let Some(p) = v["period"].as_str() {
                duck_results.insert(
                    p.to_string(),
                    (
                        Duration::from_secs_f64(v["query_secs"].as_f64().unwrap_or(0.0)),
                        v["facts"].clone(),
                    ),
                );
                duck_overdue.insert(
                    p.to_string(),
                    (
                        Duration::from_secs_f64(v["overdue_secs"].as_f64().unwrap_or(0.0)),
                        v["overdue"].clone(),
                    ),
                );
            }
        }
    }

    let names = store::overdue::agency_names(&db).await?;
    let mut out = Vec::new();
    for (label, p, mode, from, to) in resolved {
        let mut agg = Vec::new();
        let mut facts = None;
        for i in 0..opts.runs + 1 {
            let t = Instant::now();
            let c = app::indicator::indicators(
                &state,
                "TINH".into(),
                "Toàn tỉnh".into(),
                None,
                p.clone(),
                from,
                to,
            )
            .await
            .map_err(|e| anyhow!("{e:?}"))?;
            if i > 0 {
                agg.push(t.elapsed());
            }
            facts = Some(c.facts);
        }
        let facts = facts.unwrap_or_default();
        let page = time_get(
            &app,
            &token,
            &format!("/chi-so?period={p}&period_mode={mode}"),
            opts.runs,
        )
        .await?;
        let mut scan = Vec::new();
        let mut scan_facts = None;
        for _ in 0..opts.scan_runs.max(1) {
            let t = Instant::now();
            let f = app::indicator::unit_period_facts_full_scan(&state, None, from, to)
                .await
                .map_err(|e| anyhow!("{e:?}"))?;
            let model =
                domain::indicator::IndicatorModel::embedded().map_err(|e| anyhow!("766: {e}"))?;
            let _card = domain::indicator::score(&model, &f);
            let _kpis = domain::indicator::kpis(&f);
            scan.push(t.elapsed());
            scan_facts = Some(f);
        }
        let mut same = scan_facts.as_ref() == Some(&facts);
        let duckdb = duck_results.get(&format!("{from}:{to}")).map(|(d, v)| {
            let ours = serde_json::to_value(&facts).unwrap_or_default();
            if let Some(obj) = v.as_object() {
                for (k, x) in obj {
                    if ours[k] != *x {
                        println!("  DuckDB lệch ở {label}: {k} = {x}, hệ thống = {}", ours[k]);
                        same = false;
                    }
                }
            }
            *d
        });
        let overdue = overdue_figures(
            &state,
            &app,
            &token,
            OverdueCase {
                label: &label,
                period: &p,
                mode,
                from,
                to,
                now,
            },
            &opts,
            duck_overdue.get(&format!("{from}:{to}")),
            &names,
        )
        .await?;
        out.push(PeriodFigures {
            overdue,
            label,
            from,
            to,
            aggregates: stats("aggregates", agg),
            page,
            full_scan: stats("full scan", scan),
            duckdb,
            same,
            received: facts.dossiers_received,
            processed: facts.dossiers_processed(),
        });
    }
    Ok(IndicatorFigures {
        backend: db.backend(),
        dossiers: total as usize,
        events: count.events,
        gen_secs,
        rebuild: count.aggregates,
        export_secs,
        duckdb_load_secs: duck_load_secs,
        periods: out,
    })
}

/// One period of the overdue comparison.
struct OverdueCase<'a> {
    label: &'a str,
    period: &'a str,
    mode: &'a str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
}

/// Times the province's overdue list of one period through the router (a page of 200 rows
/// and every row), then by a full scan of the dossiers, and compares both with DuckDB's
/// counts by kind and responsible unit (`duck`: query time and counts).
async fn overdue_figures(
    state: &web::AppState,
    app: &axum::Router,
    token: &str,
    c: OverdueCase<'_>,
    opts: &IndicatorBench,
    duck: Option<&(Duration, serde_json::Value)>,
    names: &HashMap<i64, String>,
) -> anyhow::Result<OverdueFigures> {
    let base = format!(
        "/api/v1/overdue?unit=UBND-TINH&period={}&period_mode={}",
        c.period, c.mode
    );
    let page = time_get(app, token, &format!("{base}&limit=200"), opts.runs).await?;
    let all = time_get(app, token, &base, opts.runs.min(5)).await?;
    let list = |full_scan: bool| async move {
        let scope = app::overdue::Scope {
            unit: "TINH".into(),
            unit_name: "Toàn tỉnh".into(),
            path: None,
            period: c.period.to_string(),
            from: c.from,
            to: c.to,
        };
        app::overdue::overdue_list(state, scope, c.now, None, full_scan)
            .await
            .map_err(|e| anyhow!("{e:?}"))
    };
    let indexed = list(false).await?;
    let mut scan = Vec::new();
    let mut scanned = None;
    for _ in 0..opts.scan_runs.max(1) {
        let t = Instant::now();
        let r = list(true).await?;
        scan.push(t.elapsed());
        scanned = Some(r);
    }
    let rows_json = |r: &app::overdue::OverdueReport| {
        (
            serde_json::to_value(&r.rows).unwrap_or_default(),
            serde_json::to_value(&r.totals).unwrap_or_default(),
        )
    };
    let mut same = scanned.as_ref().map(rows_json) == Some(rows_json(&indexed));
    if !same {
        println!("  Quét toàn bộ lệch danh sách quá hạn ở {}", c.label);
    }
    // Dossier rows by kind and by unit name, as DuckDB counts them.
    let mut kinds: HashMap<String, u64> = HashMap::new();
    let mut units: HashMap<String, u64> = HashMap::new();
    for r in indexed.rows.iter().filter(|r| r.kind == "dossier") {
        *kinds.entry(r.state.clone()).or_default() += 1;
        *units.entry(r.unit.clone()).or_default() += 1;
    }
    let duckdb = duck.map(|(d, v)| {
        let mut theirs: HashMap<String, u64> = HashMap::new();
        if let Some(obj) = v["units"].as_object() {
            for (id, n) in obj {
                let name = id
                    .parse::<i64>()
                    .ok()
                    .and_then(|i| names.get(&i).cloned())
                    .unwrap_or_default();
                *theirs.entry(name).or_default() += n.as_u64().unwrap_or(0);
            }
        }
        for k in ["unfinished", "finished_late"] {
            let (ours, x) = (
                kinds.get(k).copied().unwrap_or(0),
                v[k].as_u64().unwrap_or(0),
            );
            if ours != x {
                println!(
                    "  DuckDB lệch danh sách quá hạn ở {}: {k} = {x}, hệ thống = {ours}",
                    c.label
                );
                same = false;
            }
        }
        if theirs != units {
            println!("  DuckDB lệch số hồ sơ quá hạn theo đơn vị ở {}", c.label);
            same = false;
        }
        *d
    });
    Ok(OverdueFigures {
        rows: indexed.rows_total,
        page,
        all,
        full_scan: stats("overdue full scan", scan),
        duckdb,
        same,
    })
}
