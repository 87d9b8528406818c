//! `cchc bench tasks`: a generated province (100 directives, 20,000 tasks, 200,000
//! progress reports by default) and the time of the pages leaders open most — the task
//! statistics and the overdue list — through the real router, on SQLite or PostgreSQL.

use std::time::Instant;

use anyhow::{Context, anyhow};
use store::Db;
use store::agency::AgencyFilter;
use store::bench::TaskVolume;

use super::{Figures, time_get};

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
