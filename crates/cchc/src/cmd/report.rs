//! `cchc report …` — the reports of issue 7 from the command line, acting for the whole
//! province (no login). The file is made by the same function as the page's downloads
//! (`web::routes::indicator_report::export`), so the bytes are the same.

use std::io::Write;
use std::path::PathBuf;

use super::CliError;
use crate::DbArgs;
use web::AppError;
use web::routes::indicator::IndicatorQuery;
use web::routes::indicator_report::{ExportFormat, export, parse_report_date};

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
}

fn usage_or_internal(e: AppError) -> CliError {
    match e {
        AppError::BadRequest(m) => CliError::usage(m),
        AppError::NotFound => CliError::usage("Không tìm thấy đơn vị."),
        other => CliError::Internal(anyhow::anyhow!("{other}")),
    }
}

pub fn run(args: ReportArgs) -> Result<(), CliError> {
    match args.command {
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
                let state = web::AppState::new(db.clone(), web::AppConfig::default())
                    .await
                    .map_err(usage_or_internal)?;
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
