use std::net::SocketAddr;

use reqwest::{Client, StatusCode, redirect};
use serde_json::Value;
use store::Db;

pub const PASSWORD: &str = "matkhau-demo-1";

pub struct TestApp {
    pub addr: SocketAddr,
    pub db: Db,
}

fn unique() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

/// A fresh, migrated, empty database of the backend under test.
pub async fn fresh_db() -> Db {
    match std::env::var("CCHC_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let name = format!("cchc_t_{}", unique());
            let admin = store::sqlx::PgPool::connect(&url)
                .await
                .expect("connect to CCHC_TEST_DATABASE_URL");
            store::sqlx::query(store::sqlx::AssertSqlSafe(format!(
                "create database {name}"
            )))
            .execute(&admin)
            .await
            .expect("create test database");
            admin.close().await;
            let base = url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .expect("database url with a name");
            cchc::server::open_db(&format!("{base}/{name}"))
                .await
                .expect("open test database")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("cchc-test-{}.db", unique()));
            cchc::server::open_db(&format!("sqlite://{}?mode=rwc", path.display()))
                .await
                .expect("open sqlite")
        }
    }
}

/// Where the demo province was loaded once for this test process; every test gets a copy.
enum Template {
    Sqlite(std::path::PathBuf),
    Pg { base: String, name: String },
}

/// The tests' demo province receives this many dossiers a year (the served demo: 18,000),
/// so that the per-test copies stay small.
pub const DEMO_DOSSIERS_PER_YEAR: f64 = 1_800.0;

static TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
static COPY_LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn template() -> &'static Template {
    TEMPLATE
        .get_or_init(|| async {
            // Copies left by earlier runs (hours old; a run killed before its end).
            if let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) {
                let mine = format!("cchc-test-{}_", std::process::id());
                for e in dir.flatten() {
                    let name = e.file_name().to_string_lossy().to_string();
                    let stale = e
                        .metadata()
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > std::time::Duration::from_secs(3 * 3600));
                    if name.starts_with("cchc-test-") && !name.starts_with(&mine) && stale {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
            let db = fresh_db().await;
            cchc::demo::load_sized(&db, PASSWORD, DEMO_DOSSIERS_PER_YEAR)
                .await
                .expect("demo data")
                .expect("empty database");
            let t = match &db {
                Db::Sqlite(p) => {
                    let file: (String,) = store::sqlx::query_as(
                        "select file from pragma_database_list where name = 'main'",
                    )
                    .fetch_one(p)
                    .await
                    .expect("sqlite file");
                    store::sqlx::query("pragma wal_checkpoint(truncate)")
                        .execute(p)
                        .await
                        .expect("checkpoint");
                    Template::Sqlite(file.0.into())
                }
                Db::Pg(p) => {
                    let name: (String,) = store::sqlx::query_as("select current_database()")
                        .fetch_one(p)
                        .await
                        .expect("name");
                    let url = std::env::var("CCHC_TEST_DATABASE_URL").expect("pg url");
                    let base = url
                        .rsplit_once('/')
                        .map(|(b, _)| b.to_string())
                        .expect("base");
                    Template::Pg { base, name: name.0 }
                }
            };
            db.close().await;
            t
        })
        .await
}

/// A fresh copy of the demo database (loading the demo once per process, copying it for
/// each test: a file copy on SQLite, `create database … template …` on PostgreSQL).
pub async fn demo_db() -> Db {
    let _guard = COPY_LOCK.lock().await;
    match template().await {
        Template::Sqlite(path) => {
            let copy = std::env::temp_dir().join(format!("cchc-test-{}.db", unique()));
            std::fs::copy(path, &copy).expect("copy template");
            cchc::server::open_db(&format!("sqlite://{}?mode=rwc", copy.display()))
                .await
                .expect("open copy")
        }
        Template::Pg { base, name } => {
            let admin = store::sqlx::PgPool::connect(&format!("{base}/postgres"))
                .await
                .expect("connect to the postgres database");
            let copy = format!("cchc_t_{}", unique());
            store::sqlx::query(store::sqlx::AssertSqlSafe(format!(
                "create database {copy} template {name}"
            )))
            .execute(&admin)
            .await
            .expect("copy template database");
            admin.close().await;
            cchc::server::open_db(&format!("{base}/{copy}"))
                .await
                .expect("open copy")
        }
    }
}

/// The real app, with the demo province, on an ephemeral port.
pub async fn spawn_app() -> TestApp {
    let db = demo_db().await;
    let (addr, server) = cchc::server::bind(db.clone(), web::AppConfig::default(), "127.0.0.1:0")
        .await
        .expect("bind");
    tokio::spawn(server);
    TestApp { addr, db }
}

pub fn client() -> Client {
    app::sync::install_tls();
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .expect("client")
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A bearer token for the demo account.
    pub async fn token(&self, username: &str) -> String {
        let res = client()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::OK, "login of {username}");
        let v: Value = res.json().await.expect("json");
        v["token"].as_str().expect("token").to_string()
    }

    /// A browser-like client signed in through the login page; returns it with the
    /// page's CSRF token.
    pub async fn browser(&self, username: &str) -> (Client, String) {
        let c = client();
        let page = c
            .get(self.url("/dang-nhap"))
            .send()
            .await
            .expect("login page")
            .text()
            .await
            .expect("html");
        let csrf = csrf_in(&page);
        let res = c
            .post(self.url("/dang-nhap"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login post");
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "browser login of {username}"
        );
        let home = c
            .get(self.url("/"))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("html");
        (c, csrf_in(&home))
    }

    pub async fn get_json(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let res = client()
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let res = client()
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("send");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn agency_id(&self, code: &str) -> i64 {
        store::agency::get_by_code(&self.db, code)
            .await
            .expect("agency")
            .id
    }

    /// One count with `$1` bound to `id`, on whichever database the test runs.
    pub async fn count_by_id(&self, sql: &'static str, id: i64) -> i64 {
        match &self.db {
            store::Db::Sqlite(p) => store::sqlx::query_scalar::<_, i64>(sql)
                .bind(id)
                .fetch_one(p)
                .await
                .expect("count"),
            store::Db::Pg(p) => store::sqlx::query_scalar::<_, i64>(sql)
                .bind(id)
                .fetch_one(p)
                .await
                .expect("count"),
        }
    }

    pub async fn user_id(&self, username: &str) -> i64 {
        store::user::get_by_username(&self.db, username)
            .await
            .expect("user")
            .id
    }

    pub async fn counts(&self) -> (i64, i64, i64) {
        let (_, audits) = store::audit::list(
            &self.db,
            &Default::default(),
            store::Page::new(Some(1), None),
        )
        .await
        .expect("audit");
        (
            store::agency::count(&self.db).await.expect("count"),
            store::user::count(&self.db).await.expect("count"),
            audits,
        )
    }
}

/// The `_csrf` value of the first form (or the meta tag) of a page.
pub fn csrf_in(html: &str) -> String {
    for marker in ["name=\"_csrf\" value=\"", "name=\"csrf-token\" content=\""] {
        if let Some(i) = html.find(marker) {
            let rest = &html[i + marker.len()..];
            if let Some(j) = rest.find('"') {
                return rest[..j].to_string();
            }
        }
    }
    panic!("no CSRF token in page");
}

/// The Vietnamese message of an API error body.
pub fn message(v: &Value) -> String {
    v["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Whether a string carries Vietnamese diacritics (a cheap check that a message is
/// Vietnamese, not an English library default).
pub fn is_vietnamese(s: &str) -> bool {
    s.chars().any(|c| {
        "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
            .contains(c.to_lowercase().next().unwrap_or(c))
    })
}

/// A second pool on the same database as `db`: another node of a cluster, as far as the
/// database can tell (its own connections, its own transactions).
pub async fn second_node(db: &Db) -> Db {
    let url = match db {
        Db::Sqlite(p) => {
            let file: (String,) =
                store::sqlx::query_as("select file from pragma_database_list where name = 'main'")
                    .fetch_one(p)
                    .await
                    .expect("sqlite file");
            format!("sqlite://{}", file.0)
        }
        Db::Pg(p) => {
            let name: (String,) = store::sqlx::query_as("select current_database()")
                .fetch_one(p)
                .await
                .expect("name");
            let url = std::env::var("CCHC_TEST_DATABASE_URL").expect("pg url");
            let base = url
                .rsplit_once('/')
                .map(|(b, _)| b.to_string())
                .expect("base");
            format!("{base}/{}", name.0)
        }
    };
    Db::connect(&url).await.expect("second pool")
}
