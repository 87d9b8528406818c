//! `cchc` — the one binary of the provincial administrative-reform system.

mod cmd;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cchc", version, about = "Hệ thống cải cách hành chính tỉnh")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lịch làm việc: ngày nghỉ, cộng ngày làm việc, âm lịch.
    Calendar(cmd::calendar::CalendarArgs),
    /// Văn bản chỉ đạo: đọc văn bản thành dữ liệu.
    Directive(cmd::directive::DirectiveArgs),
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
    let result = match cli.command {
        Command::Calendar(args) => cmd::calendar::run(args),
        Command::Directive(args) => cmd::directive::run(args),
    };
    if let Err(e) = result {
        eprintln!("lỗi: {e}");
        std::process::exit(e.exit_code());
    }
}
