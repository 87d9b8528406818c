//! `cchc report …` — the reports of issue 7 from the command line, acting for the whole
//! province (no login). The file is made by the same function as the page's downloads
//! (`app::indicator::report::export`), so the bytes are the same.

use std::io::Write;
use std::path::PathBuf;

use super::CliError;
use crate::DbArgs;
use app::ServiceError as AppError;
use app::indicator::IndicatorQuery;
use app::indicator::report::{ExportFormat, export, parse_report_date};

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    pub command: ReportCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Báo cáo chỉ số 766 và các chỉ tiêu của một đơn vị trong một tháng.
    Monthly {
        /// Mã đơn vị (ví dụ SXD, XM-CONCUONG); TINH: toàn tỉnh.
        #[arg(long)]
        unit: String,
        /// Tháng báo cáo, dạng 2023-10.
        #[arg(long)]
        month: String,
        /// xlsx, pdf hoặc json.
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Tệp ghi kết quả (mặc định: in ra đầu ra chuẩn).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Cách tính kỳ: calendar (theo lịch, mặc định) hoặc window (15 → 14).
        #[arg(long, default_value = "calendar")]
        period_mode: String,
        /// Ngày báo cáo in trên văn bản (dd/mm/yyyy); mặc định ngày sau kỳ báo cáo.
        #[arg(long)]
        date: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Tệp của một báo cáo định kỳ (như nút tải về trên trang báo cáo).
    Render {
        /// Số báo cáo (id).
        #[arg(long)]
        id: i64,
        /// xlsx, pdf hoặc json.
        #[arg(long, default_value = "xlsx")]
        format: String,
        /// Đúng số liệu đã khóa sổ, ghi ngày khóa sổ: cùng một tệp mỗi lần tạo lại.
        #[arg(long)]
        as_of_freeze: bool,
        /// Tệp ghi kết quả (mặc định: in ra đầu ra chuẩn).
        #[arg(long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Mở kỳ báo cáo: lập báo cáo và giao nhiệm vụ gửi báo cáo cho mọi đơn vị phải báo cáo.
    Open {
        /// Mã biểu mẫu: TTHC-THANG, CCHC-QUY, CCHC-NAM.
        #[arg(long)]
        template: String,
        /// Kỳ: 2023-10, 2023-Q3, 2023.
        #[arg(long)]
        period: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Khóa sổ kỳ báo cáo: chốt số liệu của mọi báo cáo trong kỳ.
    Close {
        #[arg(long)]
        template: String,
        #[arg(long)]
        period: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

fn usage_or_internal(e: AppError) -> CliError {
    match e {
        AppError::BadRequest(m) | AppError::Conflict(m) => CliError::usage(m),
        AppError::NotFound => CliError::usage("Không tìm thấy đơn vị."),
        other => CliError::Internal(anyhow::anyhow!("{other}")),
    }
}

fn write_out(output: Option<PathBuf>, bytes: &[u8]) -> Result<(), CliError> {
    match output {
        Some(path) => std::fs::write(&path, bytes)
            .map_err(|e| CliError::usage(format!("không ghi được tệp {}: {e}", path.display()))),
        None => match std::io::stdout().lock().write_all(bytes) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(CliError::Internal(e.into()))
            }
            _ => Ok(()),
        },
    }
}

/// Runs `f` with the application state over the command's database.
fn with_state<T>(
    db: &DbArgs,
    f: impl AsyncFnOnce(&app::App) -> Result<T, AppError>,
) -> Result<T, CliError> {
    crate::runtime()?.block_on(async {
        let db = crate::open(db).await?;
        let state = app::App::new(db.clone()).await.map_err(usage_or_internal)?;
        let out = f(&state).await.map_err(usage_or_internal);
        db.close().await;
        out
    })
}

/// The CLI acts for the province, as an administrator would.
fn operator() -> domain::org::Principal {
    domain::org::Principal {
        user_id: 0,
        username: "cli".into(),
        agency_id: 0,
        agency_path: "/".into(),
        roles: vec![domain::org::Role::Admin],
    }
}

async fn render(
    state: &app::App,
    id: i64,
    format: &str,
    as_of_freeze: bool,
) -> Result<Vec<u8>, AppError> {
    use app::report as r;
    {
        let p = operator();
        let rep = r::visible(state, &p, id).await?;
        let v = r::view(state, rep).await?;
        if format == "json" {
            let text = if as_of_freeze {
                v.frozen
                    .as_ref()
                    .map(|s| s.canonical_json())
                    .ok_or_else(|| AppError::Conflict("Báo cáo chưa khóa sổ.".into()))?
            } else {
                serde_json::to_string_pretty(&r::detail_of(&v, &p))
                    .map_err(|e| AppError::Internal(e.to_string()))?
            };
            return Ok(format!("{text}\n").into_bytes());
        }
        let doc = r::document(&v, as_of_freeze)?;
        Ok(r::render(&doc, format)?.0)
    }
}

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    match args.command {
        ReportCommand::Render {
            id,
            format,
            as_of_freeze,
            output,
            db,
        } => {
            if !matches!(format.as_str(), "xlsx" | "pdf" | "json") {
                return Err(CliError::usage("định dạng phải là xlsx, pdf hoặc json"));
            }
            let bytes = with_state(&db, async |state| {
                render(state, id, &format, as_of_freeze).await
            })
            .map_err(|e| match e {
                CliError::Usage(m) if m.contains("Không tìm thấy") => {
                    CliError::usage(format!("không có báo cáo số {id}"))
                }
                e => e,
            })?;
            write_out(output, &bytes)
        }
        ReportCommand::Open {
            template,
            period,
            db,
        } => {
            let (created, obliged) = with_state(&db, async |state| {
                app::report::open_period(
                    state,
                    &store::audit::Actor::system("cli"),
                    &template,
                    &period,
                )
                .await
            })?;
            println!(
                "Đã mở kỳ {period} ({template}): {created} báo cáo mới, {obliged} đơn vị phải báo cáo."
            );
            Ok(())
        }
        ReportCommand::Close {
            template,
            period,
            db,
        } => {
            let n = with_state(&db, async |state| {
                app::report::close(
                    state,
                    &store::audit::Actor::system("cli"),
                    &template,
                    &period,
                )
                .await
            })?;
            println!("Đã khóa sổ kỳ {period} ({template}): chốt số liệu của {n} báo cáo.");
            Ok(())
        }
        ReportCommand::Monthly {
            unit,
            month,
            format,
            output,
            period_mode,
            date,
            db,
        } => {
            let is_month = month.len() == 7
                && month
                    .parse::<domain::calendar::Period>()
                    .is_ok_and(|p| matches!(p, domain::calendar::Period::Month { .. }));
            if !is_month {
                return Err(CliError::usage(format!(
                    "tháng “{month}” không hợp lệ (dạng 2023-10)"
                )));
            }
            let format: ExportFormat = format.parse().map_err(usage_or_internal)?;
            let date = date
                .as_deref()
                .map(parse_report_date)
                .transpose()
                .map_err(usage_or_internal)?;
            let unit = (!unit.eq_ignore_ascii_case("TINH")).then_some(unit);
            let q = IndicatorQuery {
                unit,
                period: Some(month),
                period_mode: Some(period_mode),
            };
            let file = crate::runtime()?.block_on(async {
                let db = crate::open(&db).await?;
                let state = app::App::new(db.clone()).await.map_err(usage_or_internal)?;
                let file = export(
                    &state,
                    &domain::org::Scope::Province,
                    None,
                    &q,
                    format,
                    date,
                )
                .await
                .map_err(usage_or_internal);
                db.close().await;
                file
            })?;
            match output {
                Some(path) => std::fs::write(&path, &file.bytes).map_err(|e| {
                    CliError::usage(format!("không ghi được tệp {}: {e}", path.display()))
                }),
                None => match std::io::stdout().lock().write_all(&file.bytes) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        Err(CliError::Internal(e.into()))
                    }
                    _ => Ok(()),
                },
            }
        }
    }
}
