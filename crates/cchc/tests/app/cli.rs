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
