//! `cchc bench dossiers`: intake and transitions load-tested over HTTP on loopback, then
//! one agency's overdue list and the province's monthly overdue list timed, over a
//! generated province.

use std::time::{Duration, Instant};

use anyhow::anyhow;
use store::Db;
use store::agency::AgencyFilter;

use super::province::{Province, province};
use super::{Figures, percentile};

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
            store::user::create(db, &input, "bench-no-login", false, &actor).await?
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
    // The signing step (finish) is the leaders' (a chuyên viên does not sign in their
    // place): the leader of the same agency finishes.
    let (_, leader_token) = bench_user(
        &db,
        "bench.lanhdao",
        root.id,
        domain::org::Role::LanhDaoDonVi,
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
        let (client, base, token, leader) = (
            client.clone(),
            base.clone(),
            officer_token.clone(),
            leader_token.clone(),
        );
        load(
            "POST /api/v1/dossiers/{id}/events",
            opts.clients,
            opts.seconds,
            budget.saturating_mul(3),
            move |_, _| {
                let (client, base, token, leader, ids, next) = (
                    client.clone(),
                    base.clone(),
                    token.clone(),
                    leader.clone(),
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
                        let who = if event == "finish_processing" {
                            &leader
                        } else {
                            &token
                        };
                        let res = client
                            .post(format!("{base}/api/v1/dossiers/{id}/events"))
                            .bearer_auth(who)
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
