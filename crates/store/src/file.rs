//! Attached files: evidence on a task report, a directive's signed copy, a dossier's
//! documents and result. Content is addressed by its SHA-256 and kept once in `file_blob`;
//! `stored_file` says who owns each copy. Both are written in the transaction of the record
//! that cites them, so an accepted report never points at a missing file.

use crate::BeginWrite;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Db, Result, on_db};

/// Most files an owner can have attached in one write.
pub const MAX_FILES: usize = 10;
/// Largest accepted file, in bytes (the request body limit is 20 MiB).
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Minh chứng of a progress or completion report (`task_report.id`).
    TaskReport(i64),
    /// The signed copy of a directive (`directive.id`).
    Directive(i64),
    /// A document of a dossier (thành phần hồ sơ, `dossier.id`).
    DossierDocument(i64),
    /// The result of a dossier (`dossier.id`).
    DossierResult(i64),
    /// Tài liệu kiểm chứng of a PAR INDEX scorecard (`par_card.id`).
    ParCard(i64),
    /// An attachment of a citizen's feedback (`feedback.id`).
    Feedback(i64),
    /// Evidence of an inspection finding (`inspection_finding.id`).
    InspectionFinding(i64),
}

impl Owner {
    pub fn kind(self) -> &'static str {
        match self {
            Owner::TaskReport(_) => "task_report",
            Owner::Directive(_) => "directive",
            Owner::DossierDocument(_) => "dossier_document",
            Owner::DossierResult(_) => "dossier_result",
            Owner::ParCard(_) => "par_card",
            Owner::Feedback(_) => "feedback",
            Owner::InspectionFinding(_) => "inspection_finding",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Owner::TaskReport(id)
            | Owner::Directive(id)
            | Owner::DossierDocument(id)
            | Owner::DossierResult(id)
            | Owner::ParCard(id)
            | Owner::Feedback(id)
            | Owner::InspectionFinding(id) => id,
        }
    }

    fn from_parts(kind: &str, id: i64) -> Option<Owner> {
        Some(match kind {
            "task_report" => Owner::TaskReport(id),
            "directive" => Owner::Directive(id),
            "dossier_document" => Owner::DossierDocument(id),
            "dossier_result" => Owner::DossierResult(id),
            "par_card" => Owner::ParCard(id),
            "feedback" => Owner::Feedback(id),
            "inspection_finding" => Owner::InspectionFinding(id),
            _ => return None,
        })
    }
}

/// A file received from a form or the API, not yet stored.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub media_type: String,
    pub bytes: Vec<u8>,
    /// For dossier documents: the paper copy was digitised (số hóa) at intake.
    pub digitized: bool,
}

impl NewFile {
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(&self.bytes))
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FileMeta {
    pub id: i64,
    pub sha256: String,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    #[serde(skip)]
    pub owner_kind: String,
    #[serde(skip)]
    pub owner_id: i64,
    pub digitized: bool,
    #[serde(skip)]
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTime<Utc>,
}

impl FileMeta {
    pub fn owner(&self) -> Option<Owner> {
        Owner::from_parts(&self.owner_kind, self.owner_id)
    }
}

/// Stores one file for `owner` through an open transaction `$tx` (any backend) and
/// evaluates to its `stored_file.id`. The content is kept once per SHA-256.
#[macro_export]
macro_rules! insert_file {
    ($tx:expr, $owner:expr, $file:expr, $user:expr, $at:expr) => {{
        let owner: $crate::file::Owner = $owner;
        let f: &$crate::file::NewFile = $file;
        let sha = f.sha256();
        let size = f.bytes.len() as i64;
        sqlx::query("insert into file_blob (sha256, size, content) values ($1, $2, $3) on conflict (sha256) do nothing")
            .bind(&sha)
            .bind(size)
            .bind(&f.bytes)
            .execute(&mut *$tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into stored_file (sha256, name, media_type, size, owner_kind, owner_id, digitized, uploaded_by, uploaded_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
        )
        .bind(&sha)
        .bind(&f.name)
        .bind(&f.media_type)
        .bind(size)
        .bind(owner.kind())
        .bind(owner.id())
        .bind(f.digitized)
        .bind($user)
        .bind($at)
        .fetch_one(&mut *$tx)
        .await?;
        id
    }};
}

/// Stores `files` for `owner` through an open transaction `$tx` (any backend).
#[macro_export]
macro_rules! insert_files {
    ($tx:expr, $owner:expr, $files:expr, $user:expr, $at:expr) => {{
        let owner: $crate::file::Owner = $owner;
        for f in $files.iter() {
            let _id: i64 = $crate::insert_file!($tx, owner, f, $user, $at);
        }
    }};
}

macro_rules! cols {
    () => {
        "id, sha256, name, media_type, size, owner_kind, owner_id, digitized, uploaded_by, uploaded_at"
    };
}

/// Files of one owner, oldest first.
pub async fn list(db: &Db, owner: Owner) -> Result<Vec<FileMeta>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(concat!(
            "select ",
            cols!(),
            " from stored_file where owner_kind = $1 and owner_id = $2 order by id"
        ))
        .bind(owner.kind())
        .bind(owner.id())
        .fetch_all(p)
        .await?
    }))
}

/// Files of many owners of one kind (e.g. every report of a task), oldest first.
pub async fn list_many(db: &Db, kind: &str, ids: &[i64]) -> Result<Vec<FileMeta>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    // Only integers are spliced in.
    let sql = format!(
        "select {} from stored_file where owner_kind = $1 and owner_id in ({list}) order by id",
        cols!()
    );
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(kind)
            .fetch_all(p)
            .await?
    }))
}

pub async fn meta(db: &Db, id: i64) -> Result<FileMeta> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(concat!(
            "select ",
            cols!(),
            " from stored_file where id = $1"
        ))
        .bind(id)
        .fetch_one(p)
        .await?
    }))
}

pub async fn content(db: &Db, sha256: &str) -> Result<Vec<u8>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("select content from file_blob where sha256 = $1")
            .bind(sha256)
            .fetch_one(p)
            .await?
    }))
}

/// Attaches files to an existing owner in their own transaction (with an audit entry).
pub async fn attach(
    db: &Db,
    owner: Owner,
    files: &[NewFile],
    actor: &crate::audit::Actor,
    summary: String,
) -> Result<()> {
    let at = Utc::now();
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        crate::insert_files!(tx, owner, files, actor.user_id, at);
        let entry =
            crate::audit::AuditEntry::new(actor, "attach", owner.kind(), owner.id(), summary)
                .after(&serde_json::json!({ "files": names }));
        crate::insert_audit!(&mut *tx, entry);
        tx.commit().await?;
    });
    Ok(())
}
