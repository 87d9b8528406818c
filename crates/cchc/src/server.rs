//! `cchc serve`: connect, migrate, optionally load the demo, then serve until Ctrl-C or
//! SIGTERM, finishing in-flight requests.

use std::net::SocketAddr;

use anyhow::Context;
use store::Db;

use crate::config::Config;

/// Connects, migrates, and builds the indicator aggregates if they never were (a database
/// that had dossiers before migration 0011).
pub async fn open_db(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("không kết nối được cơ sở dữ liệu {}", redact(url)))?;
    db.migrate().await.context("không chạy được migration")?;
    if let Some(r) = store::agg::ensure(&db)
        .await
        .context("không dựng được số liệu tổng hợp chỉ số")?
        && r.dossiers > 0
    {
        tracing::info!(
            dossiers = r.dossiers,
            secs = r.secs,
            "đã dựng số liệu tổng hợp chỉ số từ hồ sơ"
        );
    }
    Ok(db)
}

/// Hides a password in a database URL for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Builds the app and binds the listener; returns the bound address and the server future.
pub async fn bind(
    db: Db,
    cfg: web::AppConfig,
    listen: &str,
) -> anyhow::Result<(SocketAddr, impl Future<Output = std::io::Result<()>>)> {
    let state = web::AppState::new(db, cfg)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // The report templates of data/reports are checked once, before serving.
    app::report::templates().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let app = web::app(state);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("không mở được cổng {listen}"))?;
    let addr = listener.local_addr()?;
    let fut = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .into_future();
    Ok((addr, fut))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("đang dừng máy chủ, chờ các yêu cầu đang xử lý hoàn tất");
}

/// Hourly housekeeping (`app::housekeeping`): each job under its lease, so that with
/// several nodes on one database each runs once an hour.
fn spawn_housekeeping(db: Db, mailer: Option<app::jobs::Mailer>, every: u64) {
    tokio::spawn(async move {
        let app = match app::App::new(db).await {
            Ok(a) => a,
            Err(e) => {
                tracing::error!(error = %e, "không khởi động được việc định kỳ");
                return;
            }
        };
        let reminders = app::jobs::reminder_schedule()
            .inspect_err(|e| tracing::warn!(error = %e, "không đọc được lịch nhắc việc"))
            .ok();
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(every.max(1)));
        loop {
            tick.tick().await;
            app::housekeeping::tick(&app, mailer.as_ref(), reminders.as_ref()).await;
        }
    });
}

/// Every `sync_interval_secs` (a minute by default), delivers pending dossier state
/// changes to the national portal (or to the daily JSON-lines files when no portal URL is
/// configured); every node does, sharing the rows by claims (`app::sync::run_once`).
fn spawn_sync(db: Db, cfg: &Config) -> anyhow::Result<()> {
    let every = cfg.sync_interval_secs;
    let sender = app::sync::Sender::new(
        cfg.sync_url.as_deref(),
        cfg.sync_token.as_deref(),
        std::path::PathBuf::from(&cfg.sync_dir),
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(every.max(1)));
        loop {
            tick.tick().await;
            match app::sync::run_once(&db, &sender, 2000).await {
                Ok((sent, failed)) if sent + failed > 0 => {
                    tracing::info!(sent, failed, "đồng bộ Cổng Dịch vụ công quốc gia")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "không đồng bộ được hồ sơ"),
            }
        }
    });
    Ok(())
}

/// The demo province's accounts present in `db` whose password is still `password`.
pub async fn demo_password_accounts(db: &Db, password: &str) -> Vec<String> {
    let mut weak = Vec::new();
    for u in crate::demo::demo_users().unwrap_or_default() {
        if let Ok(Some((_, hash, true))) = store::user::credentials(db, &u.username).await
            && app::password::verify(password.to_string(), hash).await
        {
            weak.push(u.username);
        }
    }
    weak
}

pub async fn run(cfg: Config, demo: bool, demo_password: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let db = open_db(&cfg.database_url).await?;
    if demo {
        match crate::demo::load(&db, demo_password).await? {
            Some(s) => {
                println!(
                    "Đã nạp dữ liệu mẫu: {} cơ quan, {} tài khoản (mật khẩu: {demo_password}), {} văn bản chỉ đạo với {} nhiệm vụ.",
                    s.agencies,
                    s.users.len(),
                    s.directives,
                    s.tasks
                );
            }
            None => println!("Cơ sở dữ liệu đã có dữ liệu: không nạp lại dữ liệu mẫu."),
        }
        println!("Tài khoản mẫu:");
        for u in crate::demo::demo_users()? {
            println!("  {:<24} {:<34} {}", u.username, u.roles, u.full_name);
        }
    }
    if !demo {
        // Accounts of the demo province that still carry its password, checked in the
        // background so start-up does not wait for the hashing.
        let (db, password) = (db.clone(), demo_password.to_string());
        tokio::spawn(async move {
            let weak = demo_password_accounts(&db, &password).await;
            if !weak.is_empty() {
                tracing::warn!(accounts = %weak.join(", "), "các tài khoản vẫn dùng mật khẩu mẫu: hãy đổi ngay (cchc user passwd TÊN)");
                eprintln!(
                    "CẢNH BÁO: {} tài khoản vẫn dùng mật khẩu mẫu ({}); hãy đổi ngay bằng `cchc user passwd TÊN`.",
                    weak.len(),
                    weak.join(", ")
                );
            }
        });
    }
    let (addr, server) = bind(db.clone(), cfg.web(), &cfg.listen).await?;
    let web_cfg = cfg.web();
    spawn_housekeeping(
        db.clone(),
        app::jobs::Mailer::from_config(web_cfg.smtp_url.as_deref(), web_cfg.smtp_from.as_deref()),
        cfg.jobs_interval_secs,
    );
    spawn_sync(db.clone(), &cfg)?;
    tracing::info!(database = db.backend(), %addr, startup_ms = started.elapsed().as_millis() as u64, "cchc đã sẵn sàng");
    println!(
        "cchc đang chạy tại http://{addr}  (cơ sở dữ liệu: {}; khởi động {} ms)",
        db.backend(),
        started.elapsed().as_millis()
    );
    server.await.context("máy chủ dừng do lỗi")?;
    db.close().await;
    Ok(())
}
