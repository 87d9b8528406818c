//! `cchc deadline` — the appointment (ngày hẹn trả) of a reception, from a limit text or a
//! catalog procedure, with the rules applied (issue 19).

use chrono::NaiveDateTime;
use domain::calendar::Calendar;
use domain::dossier::clock::Channel;

use super::CliError;
use crate::DbArgs;
use app::deadline::DeadlineOut;

const RULES: &str = include_str!("../../../../data/calendar/vn-holiday-rules.toml");
const ENTRIES: &str = include_str!("../../../../data/calendar/vn-civil-service-days-off.csv");

#[derive(Debug, clap::Args)]
pub struct DeadlineArgs {
    /// Thời hạn giải quyết như công bố, ví dụ "05 ngày làm việc", "30 ngày", "Trong ngày".
    #[arg(
        long,
        conflicts_with = "procedure",
        required_unless_present = "procedure"
    )]
    pub limit: Option<String>,
    /// Mã thủ tục trong danh mục (đọc thời hạn từ cơ sở dữ liệu).
    #[arg(long)]
    pub procedure: Option<String>,
    /// Thời điểm tiếp nhận, giờ Việt Nam: YYYY-MM-DDTHH:MM.
    #[arg(long)]
    pub received: String,
    /// Kênh nộp: desk (trực tiếp) hoặc online (trực tuyến).
    #[arg(long, default_value = "desk")]
    pub channel: String,
    /// In JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

fn received(s: &str) -> Result<NaiveDateTime, CliError> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            CliError::usage(format!(
                "Thời điểm tiếp nhận «{s}» không hợp lệ (dạng YYYY-MM-DDTHH:MM, giờ Việt Nam)."
            ))
        })
}

fn usage(e: app::ServiceError) -> CliError {
    match e {
        app::ServiceError::Invalid(errors) => CliError::usage(
            errors
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        app::ServiceError::NotFound => {
            CliError::usage("Không tìm thấy thủ tục trong danh mục.".to_string())
        }
        app::ServiceError::BadRequest(m) => CliError::usage(m),
        e => CliError::Internal(anyhow::anyhow!(e.to_string())),
    }
}

pub fn run(args: DeadlineArgs) -> Result<(), CliError> {
    let at = received(&args.received)?;
    let channel = Channel::parse(&args.channel).ok_or_else(|| {
        CliError::usage("Kênh nộp phải là desk (trực tiếp) hoặc online (trực tuyến).")
    })?;
    let out = match (&args.limit, &args.procedure) {
        (Some(text), _) => {
            let cal = Calendar::from_sources(RULES, ENTRIES)
                .map_err(|e| CliError::Internal(anyhow::anyhow!(e.to_string())))?;
            app::deadline::reckon_text(&cal, text, at, channel).map_err(usage)?
        }
        (None, Some(code)) => crate::runtime()?.block_on(async {
            let db = crate::open(&args.db).await?;
            let state = app::App::new(db.clone())
                .await
                .map_err(|e| CliError::Internal(anyhow::anyhow!(e.to_string())))?;
            let out = app::deadline::for_procedure(&state, code, at, channel).await;
            db.close().await;
            out.map_err(usage)
        })?,
        (None, None) => return Err(CliError::usage("Cần --limit hoặc --procedure.")),
    };
    print(&out, args.json)
}

fn print(out: &DeadlineOut, json: bool) -> Result<(), CliError> {
    if json {
        let s = serde_json::to_string_pretty(out)
            .map_err(|e| CliError::Internal(anyhow::anyhow!(e)))?;
        println!("{s}");
        return Ok(());
    }
    let day = |s: &str| {
        chrono::NaiveDate::parse_from_str(&s[..10.min(s.len())], "%Y-%m-%d")
            .map(|d| domain::fmt::date_vn(&d))
            .unwrap_or_else(|_| s.to_string())
    };
    println!("Thời hạn:            {}", out.limit_text);
    println!(
        "Tiếp nhận:           {} {}",
        &out.received_at[11..16],
        day(&out.received_at)
    );
    println!("Bắt đầu tính từ:     {}", day(&out.counted_from));
    match &out.appointment {
        Some(a) => println!("Ngày hẹn trả:        {} {} (+07:00)", &a[11..16], day(a)),
        None => println!("Ngày hẹn trả:        không có (không quy định thời hạn)"),
    }
    println!(
        "Căn cứ:              {} · lịch {}",
        out.regime, out.calendar_version
    );
    println!("Quy tắc đã áp dụng:");
    for r in &out.rules {
        println!("  - {} [{}: {}]", r.text, r.status, r.basis);
    }
    Ok(())
}
