//! `cchc` — the one binary of the provincial administrative-reform system.

mod cmd;

/// mimalloc instead of the system allocator: under load the server spent about a tenth of
/// its time in glibc's malloc and free (`perf`, `cchc bench dossiers`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Args, Parser, Subcommand};
use cmd::CliError;

#[derive(Debug, Parser)]
#[command(name = "cchc", version, about = "Hệ thống cải cách hành chính tỉnh")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `--database URL` (or `CCHC_DATABASE_URL`), shared by every command that touches data.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// sqlite://data/cchc.db?mode=rwc hoặc postgres://user@host/db
    #[arg(long = "database", env = "CCHC_DATABASE_URL", global = true)]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chạy máy chủ web và API.
    Serve {
        /// Địa chỉ lắng nghe (mặc định 127.0.0.1:8080).
        #[arg(long, env = "CCHC_LISTEN")]
        listen: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        /// Nạp dữ liệu mẫu tỉnh Nghệ An vào cơ sở dữ liệu trống.
        #[arg(long)]
        demo: bool,
        /// Mật khẩu của các tài khoản mẫu.
        #[arg(long, default_value = "demo")]
        demo_password: String,
        /// Bản sao chỉ đọc PostgreSQL (streaming replica) cho bảng điều hành, danh sách,
        /// xuất tệp và chỉ số.
        #[arg(long, env = "CCHC_READ_DATABASE_URL")]
        read_database: Option<String>,
    },
    /// Chạy migration cơ sở dữ liệu rồi thoát.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Quản lý tài khoản người dùng.
    User(cmd::user::UserArgs),
    /// Lịch làm việc: ngày nghỉ, cộng ngày làm việc, âm lịch.
    Calendar(cmd::calendar::CalendarArgs),
    /// Đo hiệu năng trên dữ liệu sinh ở quy mô tỉnh.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Văn bản chỉ đạo: đọc văn bản thành dữ liệu.
    Directive(cmd::directive::DirectiveArgs),
    /// Ngày hẹn trả của một hồ sơ: từ thời hạn hoặc mã thủ tục và thời điểm tiếp nhận.
    Deadline(cmd::deadline::DeadlineArgs),
    /// Báo cáo: chỉ số 766 của một đơn vị (xlsx, pdf, json).
    Report(cmd::report::ReportArgs),
    /// Sao lưu cơ sở dữ liệu đang chạy ra một tệp (SQLite: VACUUM INTO; PostgreSQL: pg_dump).
    Backup {
        #[command(flatten)]
        db: DbArgs,
        /// Tệp sao lưu (chưa tồn tại).
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Khôi phục từ tệp sao lưu (SQLite: dừng máy chủ trước; PostgreSQL: pg_restore --clean).
    Restore {
        #[command(flatten)]
        db: DbArgs,
        /// Tệp sao lưu.
        #[arg(long)]
        input: std::path::PathBuf,
    },
    /// Số liệu tổng hợp chỉ số 766 theo đơn vị và ngày.
    Aggregates {
        #[command(subcommand)]
        what: AggregatesCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AggregatesCommand {
    /// Dựng lại toàn bộ số liệu tổng hợp từ các bảng hồ sơ (trong một giao dịch; các thao
    /// tác ghi hồ sơ đồng thời phải chờ).
    Rebuild {
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Thống kê nhiệm vụ và danh sách quá hạn trên dữ liệu sinh (cơ sở dữ liệu trống;
    /// mặc định một tệp SQLite tạm).
    Tasks {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long, default_value_t = 100)]
        directives: usize,
        #[arg(long, default_value_t = 20_000)]
        tasks: usize,
        #[arg(long, default_value_t = 200_000)]
        reports: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Hồ sơ một cửa: tốc độ sinh dữ liệu, tiếp nhận và chuyển bước qua HTTP, danh sách
    /// quá hạn của một cơ quan trên bảng lớn (cơ sở dữ liệu trống; mặc định SQLite tạm).
    Dossiers {
        #[command(flatten)]
        db: DbArgs,
        /// Số hồ sơ sinh thêm (≈10 sự kiện mỗi hồ sơ).
        #[arg(long, default_value_t = 3_000_000)]
        dossiers: usize,
        /// Số máy khách đồng thời.
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Thời gian tối đa mỗi phép đo HTTP (giây).
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Số yêu cầu tiếp nhận tối đa (chuyển bước: gấp ba).
        #[arg(long, default_value_t = 100_000)]
        requests: usize,
        /// Số lần đo danh sách quá hạn.
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Đo trên dữ liệu đã sinh ở lần chạy trước (--database), không nạp mẫu, không sinh.
        #[arg(long)]
        existing: bool,
        /// Chỉ đo các danh sách quá hạn (bỏ qua tiếp nhận và chuyển bước).
        #[arg(long)]
        lists_only: bool,
    },
    /// Chỉ số 766 toàn tỉnh theo tháng, năm, kỳ 15→14: từ số liệu tổng hợp, qua trang
    /// /chi-so, bằng quét toàn bộ hồ sơ, và (tùy chọn) bằng DuckDB trên bản xuất CSV cùng
    /// dữ liệu (cơ sở dữ liệu trống; mặc định SQLite tạm).
    Indicators {
        #[command(flatten)]
        db: DbArgs,
        /// Số hồ sơ sinh thêm (≈10 sự kiện mỗi hồ sơ).
        #[arg(long, default_value_t = 3_000_000)]
        dossiers: usize,
        /// Số lần đo mỗi kỳ (số liệu tổng hợp, trang).
        #[arg(long, default_value_t = 20)]
        runs: usize,
        /// Số lần đo quét toàn bộ mỗi kỳ.
        #[arg(long, default_value_t = 3)]
        scan_runs: usize,
        /// So sánh với DuckDB (python3 và gói duckdb): xuất CSV vào thư mục tạm rồi chạy
        /// tệp kịch bản này.
        #[arg(long)]
        duckdb: Option<std::path::PathBuf>,
        /// Đo trên dữ liệu đã sinh ở lần chạy trước (--database), không nạp mẫu, không sinh.
        #[arg(long)]
        existing: bool,
    },
    /// Chỉ số CCHC: một kỳ chấm điểm cấp tỉnh (tỉnh mẫu và các sở sinh thêm), đã tự chấm,
    /// thẩm định, điều tra; đo bảng xếp hạng, tiêu chí chưa đạt toàn tỉnh, phiếu chấm,
    /// phụ lục, trước và sau công bố (cơ sở dữ liệu trống; mặc định SQLite tạm).
    Par {
        #[command(flatten)]
        db: DbArgs,
        /// Số đơn vị sinh thêm (ngoài các đơn vị của tỉnh mẫu).
        #[arg(long, default_value_t = 500)]
        units: usize,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Phản ánh, kiến nghị: một năm phản ánh sinh thêm (gấp `scale` lần dữ liệu mẫu), xử lý
    /// qua đủ các bước; đo hàng đợi, thống kê, Chỉ số 766 nhóm 5, danh sách quá hạn, cổng
    /// công khai (cơ sở dữ liệu trống; mặc định SQLite tạm).
    Feedback {
        #[command(flatten)]
        db: DbArgs,
        /// Gấp bao nhiêu lần lượng phản ánh mẫu (1–2 phản ánh mỗi ngày làm việc).
        #[arg(long, default_value_t = 40)]
        scale: u32,
        #[arg(long, default_value_t = 20)]
        runs: usize,
    },
    /// Bộ đọc văn bản chỉ đạo trên văn bản dài sinh từ bộ mẫu Nghệ An (lặp lại, một đoạn
    /// liền, bảng rất lớn), dạng văn bản và DOCX: thời gian và MB/s theo kích thước.
    Reader {
        /// Các kích thước (MB), cách nhau bằng dấu phẩy.
        #[arg(long, default_value = "1,10,50")]
        sizes: String,
        /// Bỏ các kích thước lớn hơn của một trường hợp khi một lần đo vượt quá số giây này.
        #[arg(long, default_value_t = 600)]
        give_up: u64,
        /// Chỉ các trường hợp có tên bắt đầu bằng chuỗi này ("bảng", "nhiệm vụ"…).
        #[arg(long)]
        only: Option<String>,
    },
}

fn bench_url(database: Option<String>) -> String {
    match database {
        Some(u) => u,
        None => {
            let path = std::env::temp_dir().join(format!("cchc-bench-{}.db", std::process::id()));
            let _ = std::fs::remove_file(&path);
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

fn bench_error(e: anyhow::Error) -> CliError {
    if e.to_string().contains("trống") {
        CliError::usage(e.to_string())
    } else {
        CliError::Internal(e)
    }
}

fn config() -> Result<cchc::config::Config, CliError> {
    cchc::config::Config::load().map_err(|e| CliError::usage(format!("cấu hình không hợp lệ: {e}")))
}

/// Opens (and migrates) the database named by the flag, the environment or the config.
/// The database URL of a command (`--database`, else the configuration).
pub fn database_url(db: &DbArgs) -> Result<String, CliError> {
    Ok(match &db.database {
        Some(url) => url.clone(),
        None => config()?.database_url,
    })
}

pub async fn open(db: &DbArgs) -> Result<store::Db, CliError> {
    let mut cfg = config()?;
    if let Some(url) = &db.database {
        cfg.database_url = url.clone();
    }
    cchc::server::open_db(&cfg.database_url)
        .await
        .map_err(CliError::Internal)
}

fn init_tracing(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CCHC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(e.into()))
}

fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Serve {
            listen,
            db,
            demo,
            demo_password,
            read_database,
        } => {
            let mut cfg = config()?;
            if let Some(url) = read_database {
                cfg.read_database_url = Some(url);
            }
            if let Some(l) = listen {
                cfg.listen = l;
            }
            if let Some(url) = db.database {
                cfg.database_url = url;
            }
            init_tracing(&cfg.log_format);
            runtime()?
                .block_on(cchc::server::run(cfg, demo, &demo_password))
                .map_err(CliError::Internal)
        }
        Command::Migrate { db } => runtime()?.block_on(async {
            let db = open(&db).await?;
            println!("Cơ sở dữ liệu {} đã được cập nhật lược đồ.", db.backend());
            db.close().await;
            Ok(())
        }),
        Command::User(args) => runtime()?.block_on(cmd::user::run(args)),
        Command::Backup { db, output } => runtime()?.block_on(async {
            let url = database_url(&db)?;
            let conn = open(&db).await?;
            let r = store::backup::backup(&conn, &url, &output).await;
            conn.close().await;
            r.map_err(|e| CliError::usage(format!("Không sao lưu được: {e}")))?;
            println!("Đã sao lưu vào {}.", output.display());
            Ok(())
        }),
        Command::Restore { db, input } => {
            let url = database_url(&db)?;
            store::backup::restore(&url, &input)
                .map_err(|e| CliError::usage(format!("Không khôi phục được: {e}")))?;
            println!("Đã khôi phục từ {}.", input.display());
            Ok(())
        }
        Command::Bench {
            what:
                BenchCommand::Tasks {
                    db,
                    directives,
                    tasks,
                    reports,
                    runs,
                },
        } => runtime()?.block_on(async {
            let url = match db.database {
                Some(u) => u,
                None => {
                    let path =
                        std::env::temp_dir().join(format!("cchc-bench-{}.db", std::process::id()));
                    let _ = std::fs::remove_file(&path);
                    format!("sqlite://{}?mode=rwc", path.display())
                }
            };
            let db = cchc::server::open_db(&url)
                .await
                .map_err(CliError::Internal)?;
            let volume = store::bench::TaskVolume {
                directives,
                tasks,
                reports,
            };
            let figures = cchc::bench::tasks(db.clone(), volume, runs.max(1))
                .await
                .map_err(|e| {
                    if e.to_string().contains("trống") {
                        CliError::usage(e.to_string())
                    } else {
                        CliError::Internal(e)
                    }
                })?;
            println!("{:<60} {:>10} {:>10}", "trang / API", "trung vị", "p95");
            for f in figures {
                println!(
                    "{:<60} {:>8.1} ms {:>7.1} ms",
                    f.label,
                    f.median.as_secs_f64() * 1000.0,
                    f.p95.as_secs_f64() * 1000.0
                );
            }
            db.close().await;
            Ok(())
        }),
        Command::Bench {
            what:
                BenchCommand::Dossiers {
                    db,
                    dossiers,
                    clients,
                    seconds,
                    requests,
                    runs,
                    existing,
                    lists_only,
                },
        } => runtime()?.block_on(async {
            let db = cchc::server::open_db(&bench_url(db.database))
                .await
                .map_err(CliError::Internal)?;
            let opts = cchc::bench::DossierBench {
                dossiers,
                clients: clients.max(1),
                seconds: seconds.max(1),
                requests: requests.max(1),
                runs: runs.max(1),
                existing,
                lists_only,
            };
            let f = cchc::bench::dossiers(db.clone(), opts)
                .await
                .map_err(bench_error)?;
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            println!("\nKết quả ({}):", f.backend);
            println!(
                "  (a) sinh dữ liệu: {} hồ sơ, {} sự kiện, {} dòng trong {:.1} s = {:.0} dòng/s",
                f.dossiers,
                f.events,
                f.rows,
                f.gen_secs,
                f.rows as f64 / f.gen_secs.max(1e-9)
            );
            for t in [&f.intake, &f.transitions] {
                println!(
                    "  {:<40} {:>7} yêu cầu ({} lỗi) trong {:.1} s = {:>8.0} yêu cầu/s, p50 {:.1} ms, p95 {:.1} ms",
                    t.label,
                    t.requests,
                    t.errors,
                    t.secs,
                    t.per_sec(),
                    ms(t.p50),
                    ms(t.p95)
                );
            }
            println!(
                "  (d) {} ({} hồ sơ quá hạn): trung vị {:.1} ms, p95 {:.1} ms",
                f.overdue.label,
                f.overdue_total,
                ms(f.overdue.median),
                ms(f.overdue.p95)
            );
            for (o, rows) in &f.province_overdue {
                println!(
                    "  (e) {} ({rows} dòng): trung vị {:.1} ms, p95 {:.1} ms",
                    o.label,
                    ms(o.median),
                    ms(o.p95)
                );
            }
            db.close().await;
            Ok(())
        }),
        Command::Bench {
            what: BenchCommand::Feedback { db, scale, runs },
        } => runtime()?.block_on(async {
            let db = cchc::server::open_db(&bench_url(db.database))
                .await
                .map_err(bench_error)?;
            let f = cchc::bench::feedback(db.clone(), scale, runs.max(1))
                .await
                .map_err(bench_error)?;
            println!(
                "Phản ánh, kiến nghị: {} bản ghi ({}); sinh dữ liệu {:.1} s ({:.0} phản ánh/s, mỗi phản ánh 4–6 bước).",
                f.feedback,
                db.backend(),
                f.generate_s,
                f.per_second
            );
            println!("{:<80} {:>10} {:>10}", "phép đo", "trung vị", "p95");
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{:<80} {:>8.1} ms {:>8.1} ms   (mốc so sánh)",
                f.baseline.label,
                ms(f.baseline.median),
                ms(f.baseline.p95)
            );
            for r in &f.rows {
                println!("{:<80} {:>8.1} ms {:>8.1} ms", r.label, ms(r.median), ms(r.p95));
            }
            db.close().await;
            Ok(())
        }),
        Command::Bench {
            what: BenchCommand::Par { db, units, runs },
        } => runtime()?.block_on(async {
            let db = cchc::server::open_db(&bench_url(db.database))
                .await
                .map_err(bench_error)?;
            let f = cchc::bench::par(db.clone(), units, runs.max(1))
                .await
                .map_err(bench_error)?;
            println!(
                "Chỉ số CCHC: {} phiếu chấm, {} dòng điểm ({}); sinh dữ liệu {:.1} s; công bố {:.0} ms.",
                f.units,
                f.items,
                db.backend(),
                f.generate_s,
                f.publish_ms
            );
            println!(
                "{:<64} {:>10} {:>10}",
                "phép đo", "trung vị", "p95"
            );
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{:<64} {:>8.1} ms {:>8.1} ms   (mốc so sánh)",
                f.baseline.label,
                ms(f.baseline.median),
                ms(f.baseline.p95)
            );
            for r in &f.rows {
                println!(
                    "{:<64} {:>8.1} ms {:>8.1} ms   ×{:.1}",
                    r.label,
                    ms(r.median),
                    ms(r.p95),
                    ms(r.median) / ms(f.baseline.median).max(0.001)
                );
            }
            db.close().await;
            Ok(())
        }),
        Command::Bench {
            what:
                BenchCommand::Reader {
                    sizes,
                    give_up,
                    only,
                },
        } => {
            let sizes: Vec<usize> = sizes
                .split(',')
                .map(|s| s.trim().parse::<usize>())
                .collect::<Result<_, _>>()
                .map_err(|_| CliError::usage("--sizes: các số MB cách nhau bằng dấu phẩy"))?;
            // The inputs are far over the server's limits on purpose: lift them, keep
            // no deadline, and time the reader itself.
            let budget = docparse::Budget::unlimited().with_limits(docparse::Limits::none());
            let read = |bytes: &[u8], name: &str| {
                docparse::read_file_with(bytes, name, &budget).map_err(|e| e.to_string())
            };
            let figures = cchc::bench::reader::run(
                cchc::demo_directives::SEED,
                &sizes,
                std::time::Duration::from_secs(give_up),
                &read,
                only.as_deref(),
            );
            print!("{}", cchc::bench::reader::report(&figures));
            Ok(())
        }
        Command::Bench {
            what:
                BenchCommand::Indicators {
                    db,
                    dossiers,
                    runs,
                    scan_runs,
                    duckdb,
                    existing,
                },
        } => runtime()?.block_on(async {
            let db = cchc::server::open_db(&bench_url(db.database))
                .await
                .map_err(CliError::Internal)?;
            let export = std::env::temp_dir().join(format!("cchc-bench-csv-{}", std::process::id()));
            let opts = cchc::bench::IndicatorBench {
                dossiers,
                runs: runs.max(1),
                scan_runs: scan_runs.max(1),
                duckdb: duckdb.map(|script| (export.clone(), script)),
                existing,
            };
            let f = cchc::bench::indicators(db.clone(), opts)
                .await
                .map_err(bench_error)?;
            let _ = std::fs::remove_dir_all(&export);
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            println!(
                "\nKết quả ({}): {} hồ sơ, {} sự kiện sinh trong {:.1} s; dựng lại số liệu tổng hợp {:.1} s ({} dòng ngày, {} dòng tháng)",
                f.backend,
                f.dossiers,
                f.events,
                f.gen_secs,
                f.rebuild.secs,
                f.rebuild.day_rows,
                f.rebuild.month_rows
            );
            if let (Some(e), Some(l)) = (f.export_secs, f.duckdb_load_secs) {
                println!("  xuất CSV {e:.1} s; DuckDB nạp CSV {l:.1} s");
            }
            println!(
                "  {:<22} {:>9} {:>9} {:>14} {:>12} {:>14} {:>10} {:>6}",
                "kỳ", "tiếp nhận", "xử lý", "tổng hợp (ms)", "trang (ms)", "quét toàn bộ", "DuckDB", "khớp"
            );
            for p in &f.periods {
                println!(
                    "  {:<22} {:>9} {:>9} {:>8.1} / {:<5.1} {:>6.1} / {:<5.1} {:>11.1} ms {:>7} {:>6}",
                    p.label,
                    p.received,
                    p.processed,
                    ms(p.aggregates.median),
                    ms(p.aggregates.p95),
                    ms(p.page.median),
                    ms(p.page.p95),
                    ms(p.full_scan.median),
                    p.duckdb
                        .map(|d| format!("{:.1} ms", ms(d)))
                        .unwrap_or_else(|| "–".into()),
                    if p.same { "có" } else { "KHÔNG" }
                );
            }
            println!(
                "\n  Danh sách quá hạn toàn tỉnh (trung vị / p95, ms)\n  {:<22} {:>8} {:>15} {:>15} {:>13} {:>10} {:>6}",
                "kỳ", "số dòng", "trang 200 dòng", "mọi dòng", "quét toàn bộ", "DuckDB", "khớp"
            );
            for p in &f.periods {
                let o = &p.overdue;
                println!(
                    "  {:<22} {:>8} {:>7.1} / {:<6.1} {:>7.1} / {:<6.1} {:>10.1} ms {:>10} {:>6}",
                    p.label,
                    o.rows,
                    ms(o.page.median),
                    ms(o.page.p95),
                    ms(o.all.median),
                    ms(o.all.p95),
                    ms(o.full_scan.median),
                    o.duckdb
                        .map(|d| format!("{:.1} ms", ms(d)))
                        .unwrap_or_else(|| "–".into()),
                    if o.same { "có" } else { "KHÔNG" }
                );
            }
            db.close().await;
            Ok(())
        }),
        Command::Aggregates {
            what: AggregatesCommand::Rebuild { db },
        } => runtime()?.block_on(async {
            let db = open(&db).await?;
            let r = store::agg::rebuild(&db)
                .await
                .map_err(|e| CliError::Internal(e.into()))?;
            println!(
                "Đã dựng lại số liệu tổng hợp: {} hồ sơ, {} dòng theo ngày, {} dòng theo tháng trong {:.1} s.",
                r.dossiers, r.day_rows, r.month_rows, r.secs
            );
            db.close().await;
            Ok(())
        }),
        Command::Calendar(args) => cmd::calendar::run(args),
        Command::Directive(args) => cmd::directive::run(args),
        Command::Deadline(args) => cmd::deadline::run(args),
        Command::Report(args) => cmd::report::run(args),
    }
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    if let Err(e) = run(cli) {
        eprintln!("lỗi: {e}");
        std::process::exit(e.exit_code());
    }
}
