//! Văn bản chỉ đạo — directives: registration, who may see which, their citations, files
//! and task statistics within the caller's scope.

use chrono::NaiveDate;
use domain::org::Principal;
use domain::task::TaskStatus;
use domain::validate::Checker;
use serde::{Deserialize, Serialize};
use store::Page;
use store::directive::{Citation, Directive, DirectiveInput};
use store::file::{FileMeta, NewFile, Owner};
use store::task::TaskFilter;

use crate::task::{Stats, today};
use crate::{App, Caller, ServiceError};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DirectiveOut {
    pub id: i64,
    pub number: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    pub date: NaiveDate,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    pub recipients: Vec<String>,
}

impl From<&Directive> for DirectiveOut {
    fn from(d: &Directive) -> Self {
        DirectiveOut {
            id: d.id,
            number: d.number.clone(),
            doc_type: d.doc_type.clone(),
            issuer: d.issuer.clone(),
            place: d.place.clone(),
            date: d.issued_on,
            subject: d.subject.clone(),
            signer_name: d.signer_name.clone(),
            signer_title: d.signer_title.clone(),
            signer_authority: d.signer_authority.clone(),
            recipients: d.recipients(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DirectiveDetail {
    pub directive: DirectiveOut,
    /// Documents this one cites, encloses or implements.
    pub citations: Vec<CitationOut>,
    /// Registered directives that cite or enclose this one.
    pub cited_by: Vec<CitationOut>,
    /// Task statistics within the caller's scope.
    pub stats: Stats,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CitationOut {
    pub number: String,
    pub directive_id: Option<i64>,
    /// cites, encloses, implements
    pub relation: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DirectiveBody {
    pub number: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub issuer: String,
    pub place: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy
    pub date: String,
    pub subject: String,
    pub signer_name: Option<String>,
    pub signer_title: Option<String>,
    pub signer_authority: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default)]
    pub cited_documents: Vec<String>,
}

impl From<Citation> for CitationOut {
    fn from(c: Citation) -> Self {
        CitationOut {
            number: c.cited_number,
            directive_id: c.cited_directive_id,
            relation: c.relation,
        }
    }
}

/// A directive the principal may see: any for the province-wide; otherwise one that gives
/// a unit of their subtree a task (404 outside, so its existence is not disclosed).
pub async fn visible(app: &App, p: &Principal, id: i64) -> Result<Directive, ServiceError> {
    let d = store::directive::get(&app.db, id).await?;
    if let Some(prefix) = p.scope().prefix() {
        let f = TaskFilter {
            scope_prefix: Some(prefix.to_string()),
            directive_id: Some(id),
            ..Default::default()
        };
        let (_, n) = store::task::list(&app.db, &f, Page::new(Some(1), None)).await?;
        if n == 0 {
            return Err(ServiceError::NotFound);
        }
    }
    Ok(d)
}

/// Directives visible to the principal, searched by number, type, issuer or subject.
pub async fn list(
    app: &App,
    p: &Principal,
    q: Option<&str>,
    page: Page,
) -> Result<(Vec<Directive>, i64), ServiceError> {
    Ok(store::directive::list(app.read_db(), p.scope().prefix(), q, page).await?)
}

/// Visible directives, each with the statistics of its tasks inside the caller's scope.
pub async fn list_with_stats(
    app: &App,
    p: &Principal,
    q: Option<&str>,
    page: Page,
) -> Result<Vec<(Directive, Stats)>, ServiceError> {
    let (items, _) = list(app, p, q, page).await?;
    let f = TaskFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        today: Some(today()),
        ..Default::default()
    };
    let counts = store::task::status_counts_by_directive(app.read_db(), &f).await?;
    Ok(items
        .into_iter()
        .map(|d| {
            let mine: Vec<(TaskStatus, i64)> = counts
                .iter()
                .filter(|(id, _, _)| *id == d.id)
                .map(|(_, s, n)| (*s, *n))
                .collect();
            (d, Stats::of(&mine))
        })
        .collect())
}

/// Everything shown about one directive: itself, what it cites, what cites it, its files
/// and the statistics of its tasks inside the caller's scope.
pub struct DirectiveView {
    pub directive: Directive,
    pub citations: Vec<Citation>,
    /// Registered directives citing this one: (id, number, relation).
    pub cited_by: Vec<(i64, String, String)>,
    pub files: Vec<FileMeta>,
    pub stats: Stats,
}

/// One visible directive with its citations, files and task statistics.
pub async fn view(app: &App, p: &Principal, id: i64) -> Result<DirectiveView, ServiceError> {
    let d = visible(app, p, id).await?;
    let f = TaskFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        directive_id: Some(d.id),
        today: Some(today()),
        ..Default::default()
    };
    Ok(DirectiveView {
        citations: store::directive::citations(&app.db, d.id).await?,
        cited_by: store::directive::cited_by(&app.db, d.id).await?,
        files: store::file::list(&app.db, Owner::Directive(d.id)).await?,
        stats: Stats::of(&store::task::status_counts(&app.db, &f).await?),
        directive: d,
    })
}

/// The API's detail of one visible directive.
pub async fn detail(app: &App, p: &Principal, id: i64) -> Result<DirectiveDetail, ServiceError> {
    let v = view(app, p, id).await?;
    Ok(DirectiveDetail {
        directive: DirectiveOut::from(&v.directive),
        citations: v.citations.into_iter().map(CitationOut::from).collect(),
        cited_by: v
            .cited_by
            .into_iter()
            .map(|(id, number, relation)| CitationOut {
                number,
                directive_id: Some(id),
                relation,
            })
            .collect(),
        stats: v.stats,
    })
}

/// Validates a directive's registration fields; every problem is reported at once.
pub fn check(b: &DirectiveBody) -> Result<DirectiveInput, Vec<domain::validate::FieldError>> {
    let mut c = Checker::new();
    let number = c.required("number", "Số, ký hiệu", &b.number, 60);
    let doc_type = c.required("type", "Loại văn bản", &b.doc_type, 60);
    let issuer = c.required("issuer", "Cơ quan ban hành", &b.issuer, 255);
    let place = c.optional("place", "Địa danh", b.place.as_deref(), 100);
    let date = if b.date.trim().is_empty() {
        c.fail("date", "Ngày ban hành không được để trống.");
        None
    } else {
        c.date("date", "Ngày ban hành", &b.date)
    };
    let subject = c.required("subject", "Trích yếu", &b.subject, 2000);
    let signer_name = c.optional("signer_name", "Người ký", b.signer_name.as_deref(), 120);
    let signer_title = c.optional(
        "signer_title",
        "Chức vụ người ký",
        b.signer_title.as_deref(),
        120,
    );
    let signer_authority = c.optional(
        "signer_authority",
        "Thẩm quyền ký",
        b.signer_authority.as_deref(),
        10,
    );
    // The forms of signing on behalf: Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I.
    if let Some(a) = &signer_authority
        && !["TM.", "KT.", "Q.", "TL.", "TUQ.", "TM.+KT."].contains(&a.as_str())
    {
        c.fail(
            "signer_authority",
            "Thẩm quyền ký phải là TM., KT., Q., TL., TUQ. hoặc TM.+KT.",
        );
    }
    let recipients: Vec<String> = b
        .recipients
        .iter()
        .filter_map(|r| c.optional("recipients", "Nơi nhận", Some(r), 255))
        .collect();
    let citations: Vec<(String, String)> = b
        .cited_documents
        .iter()
        .filter_map(|r| c.optional("cited_documents", "Văn bản dẫn chiếu", Some(r), 60))
        .map(|n| (n, "cites".into()))
        .collect();
    let (true, Some(issued_on)) = (c.is_ok(), date) else {
        return Err(c.errors);
    };
    Ok(DirectiveInput {
        number,
        doc_type,
        issuer,
        place,
        issued_on,
        subject,
        signer_name,
        signer_title,
        signer_authority,
        recipients,
        citations,
    })
}

/// Registers a directive from its fields (offices that assign tasks).
pub async fn create(
    app: &App,
    caller: &Caller,
    b: &DirectiveBody,
) -> Result<Directive, ServiceError> {
    if !caller.principal.can_assign_tasks() {
        return Err(ServiceError::forbidden());
    }
    let input = check(b).map_err(ServiceError::Invalid)?;
    crate::task::register_directive(app, caller, &input).await
}

/// Attaches files to a visible directive (offices that assign tasks); returns its files.
pub async fn attach_files(
    app: &App,
    caller: &Caller,
    id: i64,
    files: Vec<NewFile>,
) -> Result<Vec<FileMeta>, ServiceError> {
    let d = visible(app, &caller.principal, id).await?;
    if !caller.principal.can_assign_tasks() {
        return Err(ServiceError::forbidden());
    }
    if files.is_empty() {
        return Err(ServiceError::BadRequest(
            "Chưa chọn tệp nào để đính kèm.".into(),
        ));
    }
    store::file::attach(
        &app.db,
        Owner::Directive(d.id),
        &files,
        &caller.actor(),
        format!("Đính kèm {} tệp vào văn bản {}", files.len(), d.number),
    )
    .await?;
    Ok(store::file::list(&app.db, Owner::Directive(d.id)).await?)
}

/// The files of a visible directive.
pub async fn files(app: &App, p: &Principal, id: i64) -> Result<Vec<FileMeta>, ServiceError> {
    let d = visible(app, p, id).await?;
    Ok(store::file::list(&app.db, Owner::Directive(d.id)).await?)
}
