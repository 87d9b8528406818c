//! `cchc directive …` — the directive reader from the command line (issue 5).

use super::CliError;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DirectiveArgs {
    #[command(subcommand)]
    pub command: DirectiveCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum DirectiveCommand {
    /// Đọc văn bản (.txt, .docx, .pdf có lớp văn bản) và đề xuất thông tin, nhiệm vụ.
    Parse {
        /// Tệp văn bản cần đọc.
        file: PathBuf,
        /// In kết quả dạng JSON {"documents": [...]}.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: DirectiveArgs) -> Result<(), CliError> {
    match args.command {
        DirectiveCommand::Parse { file, json } => parse(&file, json),
    }
}

fn parse(file: &std::path::Path, json: bool) -> Result<(), CliError> {
    let bytes = std::fs::read(file)
        .map_err(|e| CliError::usage(format!("không đọc được tệp {}: {e}", file.display())))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The server's limits and time (`app::reader`): a file the server would refuse is
    // refused here with the same sentence.
    let budget = docparse::Budget::within(app::reader::READ_TIME);
    let text = docparse::read_file_with(&bytes, &name, &budget)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let documents =
        docparse::parse_with(&text, &budget).map_err(|e| CliError::usage(e.to_string()))?;
    let text = if json {
        let out = serde_json::json!({ "documents": documents });
        let mut s = serde_json::to_string_pretty(&out).map_err(|e| CliError::Internal(e.into()))?;
        s.push('\n');
        s
    } else {
        summary(&documents)
    };
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        // A closed pipe (`… | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Internal(e.into())),
        _ => Ok(()),
    }
}

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

/// ISO date → dd/mm/yyyy for people.
fn vn_date(iso: &Option<String>) -> String {
    match iso.as_deref().map(|d| d.split('-').collect::<Vec<_>>()) {
        Some(p) if p.len() == 3 => format!("{}/{}/{}", p[2], p[1], p[0]),
        _ => "—".to_string(),
    }
}

fn recurrence_vn(r: &str) -> String {
    match r {
        "quarterly" => "hằng quý".into(),
        "semiannual" => "6 tháng một lần".into(),
        "yearly" => "hằng năm".into(),
        "continuous" => "thường xuyên".into(),
        "monthly" => "hằng tháng".into(),
        "weekly" => "hằng tuần".into(),
        other => match (
            other.strip_prefix("monthly:"),
            other.strip_prefix("weekly:"),
        ) {
            (Some(d), _) => format!("trước ngày {d} hằng tháng"),
            (_, Some(w)) => match w.parse::<u32>() {
                Ok(7) => "Chủ nhật hằng tuần".to_string(),
                Ok(n @ 1..=6) => format!("thứ {} hằng tuần", n + 1),
                _ => other.to_string(),
            },
            _ => other.to_string(),
        },
    }
}

/// A readable Vietnamese summary of what was read.
fn summary(docs: &[docparse::Document]) -> String {
    let mut s = String::new();
    if docs.is_empty() {
        s.push_str("Không tìm thấy văn bản nào trong tệp.\n");
    }
    for (i, d) in docs.iter().enumerate() {
        s.push_str(&format!(
            "Văn bản {}: {} số {}\n",
            i + 1,
            or_dash(&d.doc_type),
            or_dash(&d.number)
        ));
        s.push_str(&format!("  Cơ quan ban hành: {}\n", or_dash(&d.issuer)));
        s.push_str(&format!(
            "  Nơi, ngày ban hành: {}, {}\n",
            or_dash(&d.place),
            vn_date(&d.date)
        ));
        s.push_str(&format!("  Trích yếu: {}\n", or_dash(&d.subject)));
        if let Some(sg) = &d.signer {
            s.push_str(&format!(
                "  Người ký: {} — {}{}\n",
                or_dash(&sg.name),
                sg.authority
                    .as_deref()
                    .map(|a| format!("{a} "))
                    .unwrap_or_default(),
                or_dash(&sg.title)
            ));
        }
        if !d.recipients.is_empty() {
            s.push_str(&format!("  Kính gửi: {}\n", d.recipients.join("; ")));
        }
        if !d.cited_documents.is_empty() {
            s.push_str(&format!(
                "  Văn bản viện dẫn: {}\n",
                d.cited_documents.join(", ")
            ));
        }
        s.push_str(&format!("  Nhiệm vụ đề xuất: {}\n", d.tasks.len()));
        for (k, t) in d.tasks.iter().enumerate() {
            let content: String = t.content.chars().take(110).collect();
            let more = if t.content.chars().count() > 110 {
                "…"
            } else {
                ""
            };
            s.push_str(&format!(
                "   {}. [{}] {content}{more}\n",
                k + 1,
                t.source.as_deref().unwrap_or("")
            ));
            if !t.lead.is_empty() {
                s.push_str(&format!("      Chủ trì: {}\n", t.lead.join("; ")));
            }
            if !t.support.is_empty() {
                s.push_str(&format!("      Phối hợp: {}\n", t.support.join("; ")));
            }
            if t.deadline.is_some() || t.deadline_text.is_some() {
                s.push_str(&format!(
                    "      Thời hạn: {} ({})\n",
                    vn_date(&t.deadline),
                    or_dash(&t.deadline_text)
                ));
            }
            if let Some(r) = &t.recurrence {
                s.push_str(&format!("      Định kỳ: {}\n", recurrence_vn(r)));
            }
        }
        s.push('\n');
    }
    s
}
