//! Synchronisation with the national public-service portal (Cổng Dịch vụ công quốc gia):
//! every state change of a dossier is written to `dossier_outbox` in the transaction that
//! makes it (QĐ 31/2021/QĐ-TTg Điều 30 khoản 3 requires dossier data and progress to be
//! synchronised), and a sender delivers the rows in order. The sender is pluggable:
//! - `Log` (default): appends each row as a JSON line to a daily file, for the operator to
//!   forward while no portal credentials are configured;
//! - `Http`: POSTs each row to the portal's endpoint (`CCHC_SYNC_URL`), retrying with
//!   backoff; the endpoint's contract is VPCP's integration document [TV].
//!
//! A row stays pending until delivered; the reconciliation view lists what is pending.

use std::path::PathBuf;
use std::time::Duration;

use store::Db;
use store::dossier::OutboxRow;

/// Installs the process-wide TLS crypto provider (ring) once; every HTTP client in the
/// process (the sender, the benchmark's and the tests' clients) needs it.
pub fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[derive(Clone)]
pub enum Sender {
    Log {
        dir: PathBuf,
    },
    Http {
        url: String,
        token: Option<String>,
        client: reqwest::Client,
    },
}

impl Sender {
    /// `url` set: the HTTP sender; otherwise JSON lines under `dir`.
    pub fn new(url: Option<&str>, token: Option<&str>, dir: PathBuf) -> Result<Sender, String> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => {
                install_tls();
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(20))
                    .build()
                    .map_err(|e| format!("không tạo được kết nối HTTP: {e}"))?;
                Ok(Sender::Http {
                    url: u.to_string(),
                    token: token.map(str::to_string),
                    client,
                })
            }
            None => Ok(Sender::Log { dir }),
        }
    }

    /// Delivers one row; `Err` carries the reason to record.
    pub async fn deliver(&self, row: &OutboxRow) -> Result<(), String> {
        match self {
            Sender::Log { dir } => {
                use tokio::io::AsyncWriteExt;
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| format!("không tạo được thư mục {}: {e}", dir.display()))?;
                let day = domain::time::day_of(row.created_at).format("%Y-%m-%d");
                let path = dir.join(format!("cong-dvcqg-{day}.jsonl"));
                let line = serde_json::json!({"outbox_id": row.id, "dossier": row.code,
                    "payload": serde_json::from_str::<serde_json::Value>(&row.payload).unwrap_or_default()})
                    .to_string();
                let mut f = tokio::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .await
                    .map_err(|e| format!("không ghi được {}: {e}", path.display()))?;
                f.write_all(format!("{line}\n").as_bytes())
                    .await
                    .map_err(|e| format!("không ghi được {}: {e}", path.display()))?;
                Ok(())
            }
            Sender::Http { url, token, client } => {
                let mut delay = Duration::from_millis(500);
                let mut last = String::new();
                for _ in 0..3 {
                    let mut req = client
                        .post(url)
                        .header("content-type", "application/json")
                        .header("idempotency-key", format!("cchc-outbox-{}", row.id))
                        .body(row.payload.clone());
                    if let Some(t) = token {
                        req = req.bearer_auth(t);
                    }
                    match req.send().await {
                        Ok(r) if r.status().is_success() => return Ok(()),
                        // The portal refused the data itself: retrying will not help.
                        Ok(r) if r.status().is_client_error() => {
                            return Err(format!("Cổng từ chối dữ liệu: HTTP {}", r.status()));
                        }
                        Ok(r) => last = format!("Cổng trả lỗi HTTP {}", r.status()),
                        Err(e) => last = format!("không kết nối được Cổng: {e}"),
                    }
                    tokio::time::sleep(delay).await;
                    delay *= 2;
                }
                Err(last)
            }
        }
    }
}

/// Delivers up to `batch` pending rows in order; stops at the first failure so that a
/// dossier's changes never arrive out of order. Returns (delivered, failed).
pub async fn run_once(
    db: &Db,
    sender: &Sender,
    batch: i64,
) -> Result<(usize, usize), store::StoreError> {
    let rows = store::dossier::outbox_next(db, batch).await?;
    let mut sent = 0;
    for row in &rows {
        match sender.deliver(row).await {
            Ok(()) => {
                store::dossier::outbox_result(db, row.id, true, None).await?;
                sent += 1;
            }
            Err(e) => {
                store::dossier::outbox_result(db, row.id, false, Some(&e)).await?;
                return Ok((sent, 1));
            }
        }
    }
    Ok((sent, 0))
}
