//! `cchc bench tasks`: a generated province (100 directives, 20,000 tasks, 200,000
//! progress reports by default) and the time of the pages leaders open most — the task
//! statistics and the overdue list — through the real router, on SQLite or PostgreSQL.

use std::collections::HashMap;

use chrono::Datelike;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::body::Body;
use axum::http::Request;
use store::Db;
use store::agency::AgencyFilter;
use store::bench::TaskVolume;
use tower::ServiceExt;

pub struct Figures {
    pub label: String,
    pub median: Duration,
    pub p95: Duration,
}

async fn time_get(
    app: &axum::Router,
    token: &str,
    path: &str,
    runs: usize,
) -> anyhow::Result<Figures> {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let req = Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())?;
        let t0 = Instant::now();
        let res = app.clone().oneshot(req).await.map_err(|e| anyhow!("{e}"))?;
        let status = res.status();
        let _ = axum::body::to_bytes(res.into_body(), usize::MAX).await;
        let dt = t0.elapsed();
        if !status.is_success() {
            return Err(anyhow!("{path}: HTTP {status}"));
        }
        if i >= 2 {
            samples.push(dt);
        }
    }
    samples.sort();
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    Ok(Figures {
        label: path.to_string(),
        median,
        p95,
    })
}

/// Tasks generated with the dossiers of a province-scale run (issue 7: "3 million
/// dossiers, 30 million transitions, 20,000 tasks"), with 100 directives and 200,000
/// progress reports, as `cchc bench tasks` makes them.
const PROVINCE_TASKS: store::bench::TaskVolume = store::bench::TaskVolume {
    directives: 100,
    tasks: 20_000,
    reports: 200_000,
};

/// Generates [`PROVINCE_TASKS`] led by the departments, districts and communes.
async fn province_tasks(db: &Db) -> anyhow::Result<usize> {
    let t = Instant::now();
    let (agencies, _) =
        store::agency::list(db, &AgencyFilter::default(), store::Page::all()).await?;
    let leads: Vec<i64> = agencies
        .iter()
        .filter(|a| matches!(a.kind.as_str(), "so_nganh" | "ubnd_huyen" | "ubnd_xa"))
        .map(|a| a.id)
        .collect();
    let n = store::bench::generate_tasks(db, &leads, PROVINCE_TASKS)
        .await
        .context("sinh nhiệm vụ")?;
    println!(
        "Sinh {n} nhiệm vụ, {} báo cáo tiến độ trong {:.1} s",
        PROVINCE_TASKS.reports,
        t.elapsed().as_secs_f64()
    );
    Ok(n)
}

pub async fn tasks(db: Db, volume: TaskVolume, runs: usize) -> anyhow::Result<Vec<Figures>> {
    if store::agency::count(&db).await? > 0 {
        return Err(anyhow!("cần một cơ sở dữ liệu trống để sinh dữ liệu thử"));
    }
    let t0 = Instant::now();
    crate::demo::load(&db, "bench-password-1").await?;
    let (agencies, _) =
        store::agency::list(&db, &AgencyFilter::default(), store::Page::all()).await?;
    let leads: Vec<i64> = agencies
        .iter()
        .filter(|a| matches!(a.kind.as_str(), "so_nganh" | "ubnd_huyen" | "ubnd_xa"))
        .map(|a| a.id)
        .collect();
    let n = store::bench::generate_tasks(&db, &leads, volume)
        .await
        .context("sinh dữ liệu")?;
    println!(
        "Sinh dữ liệu: {} văn bản, {n} nhiệm vụ, {} báo cáo tiến độ trong {:.1} s ({}).",
        volume.directives,
        volume.reports,
        t0.elapsed().as_secs_f64(),
        db.backend()
    );
    let state = web::AppState::new(db.clone(), web::AppConfig::default())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let app = web::app(state);
    let mut out = Vec::new();
    for user in ["sonoivu", "lanhdao.concuong"] {
        let u = store::user::get_by_username(&db, user).await?;
        let (token, _) = store::session::create(
            &db,
            u.id,
            store::session::SessionKind::Api,
            chrono::Duration::hours(1),
        )
        .await?;
        for path in [
            "/nhiem-vu/thong-ke",
            "/nhiem-vu?status=overdue",
            "/api/v1/tasks/stats",
            "/api/v1/tasks?status=overdue",
            "/van-ban",
        ] {
            let mut f = time_get(&app, &token, path, runs).await?;
            f.label = format!("{user:<17} {path}");
            out.push(f);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// `cchc bench dossiers`
// ---------------------------------------------------------------------------------------

/// Figures of a load test over HTTP.
pub struct Throughput {
    pub label: String,
    pub requests: usize,
    pub errors: usize,
    pub secs: f64,
    pub p50: Duration,
    pub p95: Duration,
}

impl Throughput {
    pub fn per_sec(&self) -> f64 {
        self.requests as f64 / self.secs.max(1e-9)
    }
}

/// What `cchc bench dossiers` measured.
pub struct DossierFigures {
    pub backend: &'static str,
    pub dossiers: usize,
    pub events: usize,
    pub rows: usize,
    pub gen_secs: f64,
    pub intake: Throughput,
    pub transitions: Throughput,
    pub overdue: Figures,
    pub overdue_total: i64,
    /// The province's monthly overdue list, per period: timing and rows.
    pub province_overdue: Vec<(Figures, i64)>,
}

/// Options of `cchc bench dossiers`.
#[derive(Debug, Clone, Copy)]
pub struct DossierBench {
    pub dossiers: usize,
    pub clients: usize,
    pub seconds: u64,
    pub requests: usize,
    pub runs: usize,
    /// Measure on a database an earlier run generated (`--existing`): no demo load, no
    /// generation.
    pub existing: bool,
    /// Time only the lists (phases d, e): no intake or transitions.
    pub lists_only: bool,
}

fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort();
    samples[(samples.len() * p / 100).min(samples.len() - 1)]
}

/// Runs `clients` workers until `seconds` pass or `requests` are done; each call of `job`
/// sends one or more requests and returns their latencies.
async fn load<F, Fut>(
    label: &str,
    clients: usize,
    seconds: u64,
    requests: usize,
    job: F,
) -> Throughput
where
    F: Fn(usize, usize) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Vec<Result<Duration, String>>> + Send,
{
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let done = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let t0 = Instant::now();
    let mut handles = Vec::new();
    for c in 0..clients {
        let job = job.clone();
        let done = done.clone();
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = Vec::new();
            let mut k = 0;
            while Instant::now() < deadline && done.load(Ordering::Relaxed) < requests {
                let out = job(c, k).await;
                k += 1;
                if out.is_empty() {
                    break;
                }
                done.fetch_add(out.len(), Ordering::Relaxed);
                for r in out {
                    match r {
                        Ok(d) => lat.push(d),
                        Err(e) => errors.push(e),
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = Vec::new();
    for h in handles {
        if let Ok((l, e)) = h.await {
            lat.extend(l);
            errors.extend(e);
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    if let Some(e) = errors.first() {
        eprintln!("{label}: {} lỗi, ví dụ: {e}", errors.len());
    }
    Throughput {
        label: label.to_string(),
        requests: lat.len(),
        errors: errors.len(),
        secs,
        p50: percentile(&mut lat, 50),
        p95: percentile(&mut lat, 95),
    }
}

async fn bench_user(
    db: &Db,
    username: &str,
    agency: i64,
    role: domain::org::Role,
) -> anyhow::Result<(i64, String)> {
    let actor = store::audit::Actor::system("bench");
    let u = match store::user::get_by_username(db, username).await {
        Ok(u) => u,
        Err(_) => {
            let input = store::user::UserInput {
                username: username.into(),
                full_name: format!("Tài khoản đo hiệu năng {username}"),
                title: None,
                email: None,
                phone: None,
                agency_id: agency,
                roles: vec![role],
            };
            store::user::create(db, &input, "bench-no-login", &actor).await?
        }
    };
    let (token, _) = store::session::create(
        db,
        u.id,
        store::session::SessionKind::Api,
        chrono::Duration::hours(4),
    )
    .await?;
    Ok((u.id, token))
}

/// The desks of the generated province (the provincial centre, the district desks and
/// the commune centres), with their procedures.
async fn bench_desks(
    db: &Db,
    procs: &[store::bench::GenProcedure],
) -> anyhow::Result<Vec<store::bench::BenchDesk>> {
    let (agencies, _) =
        store::agency::list(db, &AgencyFilter::default(), store::Page::all()).await?;
    let province: Vec<usize> = (0..procs.len())
        .filter(|&i| procs[i].level == "tinh" && procs[i].agency_id.is_some())
        .collect();
    let local: Vec<usize> = (0..procs.len())
        .filter(|&i| procs[i].level != "tinh")
        .collect();
    Ok(agencies
        .iter()
        .filter(|a| {
            a.code == "TTPVHCC-TINH" || a.kind == "ubnd_huyen" || a.code.starts_with("TTPV-")
        })
        .map(|a| store::bench::BenchDesk {
            id: a.id,
            eid: app::dossier::agency_eid(a.id),
            handling_id: if a.code.starts_with("TTPV-") {
                a.parent_id.unwrap_or(a.id)
            } else {
                a.id
            },
            desk_user: None,
            officer: None,
            procs: if a.code == "TTPVHCC-TINH" {
                province.clone()
            } else {
                local.clone()
            },
        })
        .collect())
}

/// The province a dossier bench runs on.
struct Province {
    procs: Vec<store::bench::GenProcedure>,
    desks: Vec<store::bench::BenchDesk>,
    count: store::bench::GenCount,
    gen_secs: f64,
}

/// Loads the demo province into an empty database and generates `dossiers` dossiers
/// (aggregates rebuilt) and [`PROVINCE_TASKS`]; with `existing`, a database an earlier run
/// filled is taken as it is (nothing generated).
async fn province(db: &Db, dossiers: usize, existing: bool) -> anyhow::Result<Province> {
    let filled = store::agency::count(db).await? > 0;
    if filled && !existing {
        return Err(anyhow!("cần một cơ sở dữ liệu trống để sinh dữ liệu thử"));
    }
    if filled {
        println!("Dùng dữ liệu đã sinh trong cơ sở dữ liệu (--existing)");
    } else {
        let t0 = Instant::now();
        crate::demo::load(db, "bench-password-1").await?;
        println!("Dữ liệu mẫu: {:.1} s", t0.elapsed().as_secs_f64());
    }
    let procs = store::bench::gen_procedures(db).await?;
    let desks = bench_desks(db, &procs).await?;
    if filled {
        return Ok(Province {
            procs,
            desks,
            count: store::bench::GenCount::default(),
            gen_secs: 0.0,
        });
    }
    let t1 = Instant::now();
    let mut last = Instant::now();
    let count =
        store::bench::generate_dossiers(db, &desks, &procs, dossiers, chrono::Utc::now(), |c| {
            if last.elapsed() > Duration::from_secs(10) {
                last = Instant::now();
                println!(
                    "  … {} hồ sơ, {} sự kiện, {:.0} dòng/s",
                    c.dossiers,
                    c.events,
                    c.rows as f64 / t1.elapsed().as_secs_f64()
                );
            }
        })
        .await
        .context("sinh hồ sơ")?;
    let gen_secs = t1.elapsed().as_secs_f64();
    println!(
        "Sinh {} hồ sơ, {} sự kiện ({} dòng kể cả outbox, tạm dừng) trong {gen_secs:.1} s: {:.0} dòng/s",
        count.dossiers,
        count.events,
        count.rows,
        count.rows as f64 / gen_secs
    );
    province_tasks(db).await?;
    Ok(Province {
        procs,
        desks,
        count,
        gen_secs,
    })
}

/// Generates `opts.dossiers` dossiers over the demo province, then measures intake and
/// transitions over HTTP on loopback and one agency's overdue list.
pub async fn dossiers(db: Db, opts: DossierBench) -> anyhow::Result<DossierFigures> {
    let Province {
        procs,
        desks,
        count,
        gen_secs,
    } = province(&db, opts.dossiers, opts.existing).await?;

    // Bench accounts: a one-stop officer at the provincial centre, an officer province-wide.
    let centre = store::agency::get_by_code(&db, "TTPVHCC-TINH").await?;
    let root = store::agency::get_by_code(&db, "UBND-TINH").await?;
    // Codes allow 9,999 dossiers per desk and day: intake rotates over the provincial
    // centre and the commune centres, one one-stop account each.
    let mut desk_tokens = Vec::new();
    let (agencies, _) =
        store::agency::list(&db, &AgencyFilter::default(), store::Page::all()).await?;
    let local_code = procs
        .iter()
        .find(|p| p.level != "tinh" && p.limit().is_some())
        .map(|p| p.code.clone());
    for a in agencies
        .iter()
        .filter(|a| a.code == "TTPVHCC-TINH" || (a.code.starts_with("TTPV-") && a.active))
    {
        let code = if a.code == "TTPVHCC-TINH" {
            None
        } else {
            local_code.clone()
        };
        let (_, t) = bench_user(
            &db,
            &format!("bench.motcua.{}", a.id),
            a.id,
            domain::org::Role::MotCua,
        )
        .await?;
        desk_tokens.push((t, code));
    }
    let desk_tokens = std::sync::Arc::new(desk_tokens);
    let (_, officer_token) = bench_user(
        &db,
        "bench.chuyenvien",
        root.id,
        domain::org::Role::ChuyenVien,
    )
    .await?;
    let proc_code = procs
        .iter()
        .find(|p| p.level == "tinh" && p.agency_id.is_some() && p.limit().is_some())
        .map(|p| p.code.clone())
        .ok_or_else(|| anyhow!("không có thủ tục cấp tỉnh"))?;

    let (addr, server) =
        crate::server::bind(db.clone(), web::AppConfig::default(), "127.0.0.1:0").await?;
    let server = tokio::spawn(server);
    let base = format!("http://{addr}");
    app::sync::install_tls();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients * 2)
        .build()?;

    // (b) Intake.
    let created = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let intake_job = {
        let (client, base, tokens, created, code) = (
            client.clone(),
            base.clone(),
            desk_tokens.clone(),
            created.clone(),
            proc_code.clone(),
        );
        move |c: usize, k: usize| {
            let (token, local) = tokens[(c + k) % tokens.len()].clone();
            let code = local.unwrap_or_else(|| code.clone());
            let (client, base, created) = (client.clone(), base.clone(), created.clone());
            async move {
                let t = Instant::now();
                let res = client
                    .post(format!("{base}/api/v1/dossiers"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({
                        "procedure": code,
                        "applicant_name": format!("Người nộp thử {c}-{k}"),
                        "applicant_phone": "0912345678",
                    }))
                    .send()
                    .await;
                let r = match res {
                    Ok(r) if r.status().as_u16() == 201 => {
                        let v: serde_json::Value = r.json().await.unwrap_or_default();
                        if let (Some(id), Ok(mut g)) = (v["id"].as_i64(), created.lock()) {
                            g.push(id);
                        }
                        Ok(t.elapsed())
                    }
                    Ok(r) => Err(format!("HTTP {}", r.status())),
                    Err(e) => Err(e.to_string()),
                };
                vec![r]
            }
        }
    };
    // `--lists-only`: no request is sent (the load stops at 0 requests).
    let budget = if opts.lists_only { 0 } else { opts.requests };
    let intake = load(
        "POST /api/v1/dossiers",
        opts.clients,
        opts.seconds,
        budget,
        intake_job.clone(),
    )
    .await;

    // (c) Transitions: assign, transfer, finish on dossiers received over HTTP. So that the
    // phase never runs out of work, intake goes on untimed until there are enough fresh
    // dossiers for 8,000 transitions a second over the whole phase.
    let wanted = (opts.seconds as usize * 8_000 / 3).min(budget);
    let have = created.lock().map(|g| g.len()).unwrap_or(0);
    if have < wanted {
        let t = Instant::now();
        let more = load(
            "POST /api/v1/dossiers (chuẩn bị)",
            opts.clients,
            3_600,
            wanted - have,
            intake_job,
        )
        .await;
        println!(
            "Tiếp nhận thêm {} hồ sơ cho phép đo chuyển bước ({:.1} s)",
            more.requests,
            t.elapsed().as_secs_f64()
        );
    }
    let ids: Vec<i64> = created.lock().map(|g| g.clone()).unwrap_or_default();
    let ids = std::sync::Arc::new(ids);
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let transitions = {
        let (client, base, token) = (client.clone(), base.clone(), officer_token.clone());
        load(
            "POST /api/v1/dossiers/{id}/events",
            opts.clients,
            opts.seconds,
            budget.saturating_mul(3),
            move |_, _| {
                let (client, base, token, ids, next) = (
                    client.clone(),
                    base.clone(),
                    token.clone(),
                    ids.clone(),
                    next.clone(),
                );
                async move {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(id) = ids.get(i) else {
                        return Vec::new();
                    };
                    let mut out = Vec::new();
                    for event in ["assign", "transfer", "finish_processing"] {
                        let t = Instant::now();
                        let res = client
                            .post(format!("{base}/api/v1/dossiers/{id}/events"))
                            .bearer_auth(&token)
                            .json(&serde_json::json!({"event": event, "result_code": "KQ-BENCH"}))
                            .send()
                            .await;
                        out.push(match res {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                Ok(t.elapsed())
                            }
                            Ok(r) => Err(format!("{event}: HTTP {}", r.status())),
                            Err(e) => Err(e.to_string()),
                        });
                    }
                    out
                }
            },
        )
        .await
    };

    // (d) One agency's overdue list with the big table loaded: the busiest desk.
    let busiest = desks
        .iter()
        .find(|d| d.id == centre.id)
        .map(|d| d.id)
        .unwrap_or(centre.id);
    let path = format!("/api/v1/dossiers?overdue=true&agency_id={busiest}");
    let (overdue, overdue_total) =
        time_api(&client, &base, &officer_token, &path, opts.runs, |v| {
            v["total"].as_i64().unwrap_or(0)
        })
        .await?;

    // (e) The province's monthly overdue list (CV 6486 item 3; issue 7): every overdue
    // dossier and task of the province in an old month, last month and this month.
    let today = chrono::Utc::now().date_naive();
    let last = today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today)));
    let mut province_overdue = Vec::new();
    for period in [
        "2023-10".to_string(),
        last.format("%Y-%m").to_string(),
        today.format("%Y-%m").to_string(),
    ] {
        // One page of rows (what `/bao-cao/qua-han` shows), then every row.
        for limit in ["&limit=200", ""] {
            let path = format!("/api/v1/overdue?unit={}&period={period}{limit}", root.code);
            province_overdue.push(
                time_api(&client, &base, &officer_token, &path, opts.runs, |v| {
                    v["rows_total"].as_i64().unwrap_or(0)
                })
                .await?,
            );
        }
    }
    server.abort();
    Ok(DossierFigures {
        backend: db.backend(),
        dossiers: count.dossiers,
        events: count.events,
        rows: count.rows,
        gen_secs,
        intake,
        transitions,
        overdue,
        overdue_total,
        province_overdue,
    })
}

/// Times `GET path` (`runs` times after two warm-up calls) and counts what it returned.
async fn time_api(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    runs: usize,
    count: impl Fn(&serde_json::Value) -> i64,
) -> anyhow::Result<(Figures, i64)> {
    let mut samples = Vec::new();
    let mut n = 0;
    for i in 0..runs + 2 {
        let t = Instant::now();
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await?;
        let status = r.status();
        let v: serde_json::Value = r.json().await.unwrap_or_default();
        let dt = t.elapsed();
        if !status.is_success() {
            return Err(anyhow!("{path}: HTTP {status}"));
        }
        n = count(&v);
        if i >= 2 {
            samples.push(dt);
        }
    }
    Ok((
        Figures {
            label: path.to_string(),
            median: percentile(&mut samples, 50),
            p95: percentile(&mut samples, 95),
        },
        n,
    ))
}

// ---------------------------------------------------------------------------------------
// `cchc bench indicators`
// ---------------------------------------------------------------------------------------

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
    let today = (now + chrono::Duration::hours(7)).date_naive();
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
            (now + chrono::Duration::hours(7))
                .naive_utc()
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
