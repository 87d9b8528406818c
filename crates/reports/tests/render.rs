//! Opt-in look at the printed layout: `cargo test -p reports --test render -- --ignored`
//! writes both workbooks and, when LibreOffice (`soffice`) is installed, their PDFs to
//! `$CARGO_TARGET_TMPDIR/reports/`.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{header, stat, task};

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("reports");
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

fn sample_tasks() -> Vec<reports::TaskRow> {
    let agencies = [
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Ủy ban nhân dân huyện Con Cuông",
        "Sở Thông tin và Truyền thông",
        "Văn phòng UBND tỉnh",
    ];
    (1..=28)
        .map(|n| {
            let lead = agencies[n % agencies.len()];
            let (percent, late) = match n % 4 {
                0 => (100, 0),
                1 => (40, n as i64),
                2 => (100, 2),
                _ => (70, 0),
            };
            let mut row = task(
                &n.to_string(),
                &format!(
                    "Nhiệm vụ {n}: triển khai thực hiện cơ chế một cửa, một cửa liên thông \
                     trong giải quyết thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP"
                ),
                lead,
                percent,
                late,
            );
            if n % 3 == 0 {
                row.note = "Đã có báo cáo tiến độ".into();
            }
            row
        })
        .collect()
}

fn sample_stats() -> Vec<reports::StatRow> {
    vec![
        stat("Sở Nội vụ", [12, 8, 2, 1, 1, 0]),
        stat("Sở Tư pháp", [10, 6, 2, 1, 1, 0]),
        stat("Ủy ban nhân dân huyện Con Cuông", [8, 2, 1, 0, 2, 3]),
        stat("Sở Thông tin và Truyền thông", [9, 5, 0, 2, 1, 1]),
        stat("Văn phòng UBND tỉnh", [6, 6, 0, 0, 0, 0]),
    ]
}

#[test]
#[ignore = "writes files for a person to look at; converts to PDF when soffice exists"]
fn render_samples() {
    let dir = out_dir();
    let tasks = reports::tasks_xlsx(
        &header("DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025"),
        &sample_tasks(),
    )
    .expect("tasks xlsx");
    let stats = reports::stats_xlsx(
        &header("THỐNG KÊ KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        &sample_stats(),
    )
    .expect("stats xlsx");
    let files = [dir.join("nhiem-vu.xlsx"), dir.join("thong-ke.xlsx")];
    std::fs::write(&files[0], tasks).expect("write");
    std::fs::write(&files[1], stats).expect("write");

    let Ok(status) = Command::new("soffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .args(&files)
        .status()
    else {
        eprintln!("soffice not found; xlsx files are in {}", dir.display());
        return;
    };
    assert!(status.success(), "soffice failed: {status}");
    for file in &files {
        assert!(
            file.with_extension("pdf").exists(),
            "no PDF for {}",
            file.display()
        );
    }
    eprintln!("PDFs are in {}", dir.display());
}
