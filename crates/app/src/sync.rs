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

/// Rows claimed at a time, and how long a claim lasts: long enough for the slowest
/// delivery of a round (20 s a row at worst, see `Sender::Http`) to end before another
/// node may take the rows again.
const ROUND: i64 = 200;
const CLAIM: chrono::Duration = chrono::Duration::minutes(15);

/// Delivers up to `batch` pending rows, in rounds: each round claims (for this node,
/// `crate::node::id()`) the earliest pending row of up to [`ROUND`] dossiers that no other
/// node is delivering (`store::dossier::outbox_claim`), so that several nodes share the
/// outbox without sending a row twice and each dossier's changes arrive in order. Stops at
/// the first failure (the portal is likely down), giving back the rest of the round.
/// Returns (delivered, failed).
pub async fn run_once(
    db: &Db,
    sender: &Sender,
    batch: i64,
) -> Result<(usize, usize), store::StoreError> {
    run_once_as(db, sender, batch, crate::node::id()).await
}

/// [`run_once`] for the node named `holder` (tests run several nodes in one process).
pub async fn run_once_as(
    db: &Db,
    sender: &Sender,
    batch: i64,
    holder: &str,
) -> Result<(usize, usize), store::StoreError> {
    let mut sent = 0;
    while (sent as i64) < batch {
        let now = chrono::Utc::now();
        let limit = ROUND.min(batch - sent as i64);
        let rows = store::dossier::outbox_claim(db, holder, limit, now, now + CLAIM).await?;
        if rows.is_empty() {
            break;
        }
        let (n, failed) = deliver(db, sender, &rows).await?;
        sent += n;
        if failed {
            let rest: Vec<i64> = rows.iter().skip(n + 1).map(|r| r.id).collect();
            store::dossier::outbox_release(db, holder, &rest).await?;
            crate::metrics::outbox_delivered(n, 1);
            return Ok((sent, 1));
        }
        crate::metrics::outbox_delivered(n, 0);
    }
    Ok((sent, 0))
}

/// Delivers claimed rows in order; delivered rows are recorded together every
/// `MARK_EVERY` rows and at the end: a crash in between re-sends at most that many, which
/// the portal's idempotency key absorbs. Returns how many went and whether one failed.
async fn deliver(
    db: &Db,
    sender: &Sender,
    rows: &[OutboxRow],
) -> Result<(usize, bool), store::StoreError> {
    const MARK_EVERY: usize = 200;
    let mut delivered = Vec::new();
    let mut sent = 0;
    for row in rows {
        match sender.deliver(row).await {
            Ok(()) => {
                delivered.push(row.id);
                sent += 1;
                if delivered.len() >= MARK_EVERY {
                    store::dossier::outbox_sent(db, &delivered).await?;
                    delivered.clear();
                }
            }
            Err(e) => {
                store::dossier::outbox_sent(db, &delivered).await?;
                store::dossier::outbox_result(db, row.id, false, Some(&e)).await?;
                return Ok((sent, true));
            }
        }
    }
    store::dossier::outbox_sent(db, &delivered).await?;
    Ok((sent, false))
}

/// An outbox payload (the national portal's fields, QĐ 31/2021/QĐ-TTg) in Vietnamese for
/// the reconciliation page: "Tiếp nhận hồ sơ · Thủ tục 2.000720 · Trạng thái: … · Kênh:
/// trực tuyến · Hẹn trả: 24/02/2023 17:30 · Có thành phần số hóa". A payload that is not
/// JSON is shown as it is.
pub fn describe(payload: &str) -> String {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(payload) else {
        return payload.to_string();
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(e) = v["SuKien"].as_str() {
        parts.push(domain::dossier::transition::event_title(e).to_string());
    }
    if let Some(t) = v["MaTTHC"].as_str() {
        parts.push(format!("Thủ tục {t}"));
    }
    if let Some(s) = v["TrangThaiHoSo"].as_i64() {
        parts.push(format!(
            "Trạng thái: {}",
            crate::dossier::status_label(i32::try_from(s).unwrap_or(0))
        ));
    }
    if let Some(k) = v["KenhThucHien"].as_i64() {
        let channel = match k {
            1 => "trực tiếp",
            2 => "trực tuyến",
            3 => "bưu chính công ích",
            _ => "khác",
        };
        parts.push(format!("Kênh: {channel}"));
    }
    if let Some(d) = v["NgayHenTra"]
        .as_str()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
    {
        let local = domain::time::local(d.with_timezone(&chrono::Utc));
        parts.push(format!("Hẹn trả: {}", local.format("%d/%m/%Y %H:%M")));
    }
    match v["HoSoCoThanhPhanSoHoa"].as_bool() {
        Some(true) => parts.push("Có thành phần số hóa".into()),
        Some(false) => parts.push("Chưa số hóa thành phần".into()),
        None => {}
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_payload_in_words() {
        let p = r#"{"MaHoSo":"000.00.50.H40-230221-0001","MaTTHC":"2.000720","TrangThaiHoSo":2,"KenhThucHien":2,"NgayHenTra":"2023-02-24T10:30:00Z","HoSoCoThanhPhanSoHoa":false,"SuKien":"receive","ThoiDiem":"2023-02-22T02:07:00Z"}"#;
        let d = super::describe(p);
        assert!(d.contains("Thủ tục 2.000720"), "{d}");
        assert!(d.contains("Kênh: trực tuyến"), "{d}");
        assert!(d.contains("Hẹn trả: 24/02/2023 17:30"), "{d}");
        assert!(!d.contains('{'), "{d}");
        assert_eq!(super::describe("not json"), "not json");
    }
}
