//! The operator commands of the binary: exit codes and effects.

use std::process::Command;

use crate::helpers::*;

fn cchc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .env_remove("CCHC_DATABASE_URL")
        .output()
        .expect("run cchc")
}

#[tokio::test]
async fn migrate_and_user_commands() {
    let path = std::env::temp_dir().join(format!("cchc-cli-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let out = cchc(&["migrate", "--database", &url]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = cchc::server::open_db(&url).await.unwrap();
    cchc::demo::load(&db, PASSWORD).await.unwrap();
    let out = cchc(&[
        "user",
        "add",
        "canbo.cli",
        "--name",
        "Phan Văn Lệnh",
        "--agency",
        "STP",
        "--role",
        "chuyen_vien",
        "--password",
        "matkhau123",
        "--database",
        &url,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let u = store::user::get_by_username(&db, "canbo.cli")
        .await
        .unwrap();
    assert_eq!(u.agency_code, "STP");
    // Bad usage exits 2 with a one-line reason and changes nothing.
    let users = store::user::count(&db).await.unwrap();
    for args in [
        vec![
            "user",
            "add",
            "canbo.cli",
            "--name",
            "X",
            "--agency",
            "STP",
            "--role",
            "chuyen_vien",
            "--password",
            "matkhau123",
        ],
        vec![
            "user",
            "add",
            "canbo.2",
            "--name",
            "X",
            "--agency",
            "KHONG-CO",
            "--role",
            "chuyen_vien",
            "--password",
            "matkhau123",
        ],
        vec![
            "user",
            "add",
            "canbo.3",
            "--name",
            "X",
            "--agency",
            "STP",
            "--role",
            "vua",
            "--password",
            "matkhau123",
        ],
        vec![
            "user",
            "add",
            "canbo.4",
            "--name",
            "X",
            "--agency",
            "STP",
            "--role",
            "chuyen_vien",
            "--password",
            "ngan",
        ],
        vec!["user", "passwd", "khong.co.ai", "--password", "matkhau123"],
    ] {
        let mut a = args.clone();
        a.extend(["--database", &url]);
        let out = cchc(&a);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    assert_eq!(store::user::count(&db).await.unwrap(), users);
    let out = cchc(&[
        "user",
        "passwd",
        "canbo.cli",
        "--password",
        "matkhaumoi9",
        "--database",
        &url,
    ]);
    assert!(out.status.success());
    let out = cchc(&["serve", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    db.close().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn deadline_command_prints_the_appointment_and_its_rules() {
    // A calendar-day limit received online during Tết Bính Ngọ: reception Mon 23/2/2026,
    // counted from 24/2, last day 25/3/2026 (Bộ luật Dân sự 2015 Điều 147–148).
    let out = cchc(&[
        "deadline",
        "--limit",
        "30 ngày",
        "--received",
        "2026-02-14T10:00",
        "--channel",
        "online",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["limit_text"], "30 ngày");
    assert_eq!(v["kind"], "calendar_days");
    assert_eq!(v["received_at"], "2026-02-14T10:00:00+07:00");
    assert_eq!(v["counted_from"], "2026-02-24");
    assert_eq!(v["appointment"], "2026-03-25T17:30:00+07:00");
    assert!(!v["calendar_version"].as_str().unwrap().is_empty());
    let rules = v["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["code"] == "outside_hours"));
    assert!(
        rules
            .iter()
            .all(|r| !r["basis"].as_str().unwrap().is_empty())
    );
    // The text form says the same in Vietnamese.
    let out = cchc(&[
        "deadline",
        "--limit",
        "03 ngày làm việc",
        "--received",
        "2025-08-29T09:00",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Ngày hẹn trả:        17:30 05/09/2025"),
        "{text}"
    );
    // Unreadable limit, bad instant or channel: exit 2 with a Vietnamese reason.
    for (args, says) in [
        (
            vec!["--limit", "Tùy theo đợt", "--received", "2026-02-14T10:00"],
            "Không đọc được thời hạn",
        ),
        (
            vec!["--limit", "3 ngày làm việc", "--received", "14/02/2026"],
            "không hợp lệ",
        ),
        (
            vec![
                "--limit",
                "3 ngày làm việc",
                "--received",
                "2026-02-14T10:00",
                "--channel",
                "fax",
            ],
            "Kênh nộp",
        ),
    ] {
        let mut all = vec!["deadline"];
        all.extend(args);
        let out = cchc(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{all:?}"
        );
    }
    // --procedure reads the catalog's published limit from the database.
    let path = std::env::temp_dir().join(format!("cchc-deadline-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = cchc::server::open_db(&url).await.unwrap();
    cchc::demo::load(&db, PASSWORD).await.unwrap();
    let (procs, _) = store::procedure::list(&db, &Default::default(), store::Page::all())
        .await
        .unwrap();
    let calendar_days = procs
        .iter()
        .find(|p| {
            matches!(
                domain::dossier::clock::Limit::parse(&p.limit_text).map(|l| l.kind),
                Ok(domain::dossier::clock::LimitKind::CalendarDays(_))
            )
        })
        .expect("the demo catalog has calendar-day procedures");
    db.close().await;
    let out = cchc(&[
        "deadline",
        "--procedure",
        &calendar_days.code,
        "--received",
        "2025-10-06T09:00",
        "--json",
        "--database",
        &url,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "calendar_days");
    assert_eq!(v["limit_text"], calendar_days.limit_text.as_str());
    assert!(v["appointment"].is_string());
    let out = cchc(&[
        "deadline",
        "--procedure",
        "9.999999",
        "--received",
        "2025-10-06T09:00",
        "--database",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_file(&path);
}
