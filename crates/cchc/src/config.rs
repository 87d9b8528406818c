//! Configuration, layered: built-in defaults → `cchc.toml` (or the file named by
//! `CCHC_CONFIG`) → `CCHC_*` environment variables → command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// `CCHC_LISTEN`
    pub listen: String,
    /// `CCHC_DATABASE_URL`
    pub database_url: String,
    pub session_ttl_hours: i64,
    pub api_token_ttl_hours: i64,
    pub secure_cookies: bool,
    pub login_max_failures: i64,
    pub login_window_minutes: i64,
    /// `json` for one JSON object per log line, `text` otherwise.
    pub log_format: String,
    /// `CCHC_SMTP_URL`: `smtp://user:pass@host:587`; e-mail notifications when set.
    pub smtp_url: Option<String>,
    /// `CCHC_SMTP_FROM`: the sender, `Tên <dia-chi@tinh.gov.vn>`.
    pub smtp_from: Option<String>,
    /// `CCHC_SYNC_URL`: the national portal's endpoint for dossier state changes; unset =
    /// JSON lines in `sync_dir`.
    pub sync_url: Option<String>,
    /// `CCHC_SYNC_TOKEN`: bearer token for `sync_url`.
    pub sync_token: Option<String>,
    /// `CCHC_SYNC_DIR`: where the default sender writes (default `data/sync`).
    pub sync_dir: String,
    /// `CCHC_TRUSTED_PROXIES`: addresses of the reverse proxies, comma-separated; only
    /// from them is `X-Forwarded-For` believed for the client address (throttling, audit).
    pub trusted_proxies: String,
    /// `CCHC_METRICS_TOKEN`: when set, `/metrics` answers whoever presents it as a bearer
    /// token; unset, only loopback and private addresses.
    pub metrics_token: Option<String>,
    /// `CCHC_READ_DATABASE_URL` (or `--read-database`): a PostgreSQL streaming replica
    /// that answers dashboards, lists, exports and indicators.
    pub read_database_url: Option<String>,
    /// `CCHC_JOBS_INTERVAL_SECS`: how often the housekeeping jobs tick (default hourly;
    /// each job still runs at most once per lease, `app::housekeeping`).
    pub jobs_interval_secs: u64,
    /// `CCHC_SYNC_INTERVAL_SECS`: how often the outbox is delivered (default 60).
    pub sync_interval_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        let web = web::AppConfig::default();
        Config {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://data/cchc.db?mode=rwc".into(),
            session_ttl_hours: web.session_ttl_hours,
            api_token_ttl_hours: web.api_token_ttl_hours,
            secure_cookies: web.secure_cookies,
            login_max_failures: web.login_max_failures,
            login_window_minutes: web.login_window_minutes,
            log_format: "text".into(),
            smtp_url: web.smtp_url,
            smtp_from: web.smtp_from,
            sync_url: None,
            sync_token: None,
            sync_dir: "data/sync".into(),
            trusted_proxies: String::new(),
            metrics_token: None,
            read_database_url: None,
            jobs_interval_secs: 3600,
            sync_interval_secs: 60,
        }
    }
}

impl Config {
    pub fn load() -> Result<Config, Box<figment::Error>> {
        let file = std::env::var("CCHC_CONFIG").unwrap_or_else(|_| "cchc.toml".into());
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("CCHC_").ignore(&["config"]))
            .extract()
            .map_err(Box::new)
    }

    pub fn web(&self) -> web::AppConfig {
        web::AppConfig {
            session_ttl_hours: self.session_ttl_hours,
            api_token_ttl_hours: self.api_token_ttl_hours,
            secure_cookies: self.secure_cookies,
            login_max_failures: self.login_max_failures,
            login_window_minutes: self.login_window_minutes,
            smtp_url: self.smtp_url.clone(),
            smtp_from: self.smtp_from.clone(),
            trusted_proxies: self
                .trusted_proxies
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect(),
            metrics_token: self.metrics_token.clone(),
            read_database_url: self.read_database_url.clone(),
        }
    }
}
