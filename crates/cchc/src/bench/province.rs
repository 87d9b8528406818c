//! The province the dossier and indicator benches run on: the demo province loaded into
//! an empty database, its desks, the generated dossiers (aggregates rebuilt) and the
//! province-scale tasks — or, with `--existing`, a database an earlier run filled.

use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use store::Db;
use store::agency::AgencyFilter;

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
pub(super) struct Province {
    pub(super) procs: Vec<store::bench::GenProcedure>,
    pub(super) desks: Vec<store::bench::BenchDesk>,
    pub(super) count: store::bench::GenCount,
    pub(super) gen_secs: f64,
}

/// Loads the demo province into an empty database and generates `dossiers` dossiers
/// (aggregates rebuilt) and [`PROVINCE_TASKS`]; with `existing`, a database an earlier run
/// filled is taken as it is (nothing generated).
pub(super) async fn province(db: &Db, dossiers: usize, existing: bool) -> anyhow::Result<Province> {
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
