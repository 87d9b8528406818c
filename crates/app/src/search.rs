//! One search box for signed-in users: directives, tasks, procedures and dossiers at
//! once, each group ranked by its own list's rules (procedures by relevance,
//! `domain::search`) and scoped like that list, with a link to the full list.

use domain::org::Principal;
use store::Page;
use store::dossier::DossierFilter;
use store::procedure::ProcedureFilter;
use store::task::TaskFilter;

use crate::{App, ServiceError};

/// One result: where it leads, its title and a line of detail.
#[derive(Debug, Clone)]
pub struct Hit {
    pub href: String,
    pub title: String,
    pub detail: String,
}

/// The results of one kind: its label, how many match, the first few and the full list.
#[derive(Debug, Clone)]
pub struct Group {
    pub label: &'static str,
    pub total: i64,
    pub hits: Vec<Hit>,
    /// The full list, to be given `?q=`.
    pub more_path: &'static str,
}

/// How many of each kind the page shows.
pub const PER_GROUP: i64 = 6;

/// Searches everything the principal may see. An empty query finds nothing.
pub async fn everywhere(state: &App, p: &Principal, q: &str) -> Result<Vec<Group>, ServiceError> {
    let q = q.trim();
    if q.is_empty() {
        return Ok(Vec::new());
    }
    if q.chars().count() > 200 {
        return Err(ServiceError::bad("Từ khóa tìm kiếm dài quá 200 ký tự."));
    }
    let page = Page::new(Some(PER_GROUP), None);
    let today = domain::time::today();
    let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();

    let (dirs, dir_total) = crate::directive::list(state, p, Some(q), page).await?;
    let (tasks, task_total) = store::task::list(
        &state.db,
        &TaskFilter {
            scope_prefix: p.scope().prefix().map(str::to_string),
            q: Some(q.to_string()),
            today: Some(today),
            ..Default::default()
        },
        page,
    )
    .await?;
    let (procs, proc_total) = crate::procedure::list(
        state,
        Some(p),
        ProcedureFilter {
            q: Some(q.to_string()),
            ..Default::default()
        },
        page,
    )
    .await?;
    let (dossiers, dossier_total) = crate::dossier::list(
        state,
        p,
        DossierFilter {
            q: Some(q.to_string()),
            ..Default::default()
        },
        page,
    )
    .await?;
    Ok(vec![
        Group {
            label: "Văn bản chỉ đạo",
            total: dir_total,
            hits: dirs
                .into_iter()
                .map(|d| Hit {
                    href: format!("/van-ban/{}", d.id),
                    title: format!("{} {}", d.doc_type, d.number),
                    detail: format!("{} · {} · {}", date(d.issued_on), d.issuer, d.subject),
                })
                .collect(),
            more_path: "/van-ban",
        },
        Group {
            label: "Nhiệm vụ",
            total: task_total,
            hits: tasks
                .into_iter()
                .map(|t| Hit {
                    href: format!("/nhiem-vu/{}", t.id),
                    title: crate::notify::excerpt(&t.content, 160),
                    detail: format!(
                        "{} · chủ trì: {} · hạn: {}",
                        t.directive_number,
                        t.lead_name.or(t.lead_text).unwrap_or_else(|| "—".into()),
                        t.deadline
                            .map(date)
                            .unwrap_or_else(|| "không thời hạn".into())
                    ),
                })
                .collect(),
            more_path: "/nhiem-vu",
        },
        Group {
            label: "Thủ tục hành chính",
            total: proc_total,
            hits: procs
                .into_iter()
                .map(|x| Hit {
                    href: format!("/thu-tuc/{}", x.code),
                    title: x.name,
                    detail: format!("{} · {} · {}", x.code, x.field, x.agency_text),
                })
                .collect(),
            more_path: "/thu-tuc",
        },
        Group {
            label: "Hồ sơ một cửa",
            total: dossier_total,
            hits: dossiers
                .into_iter()
                .map(|d| Hit {
                    href: format!("/ho-so/{}", d.id),
                    title: format!("{} — {}", d.code, d.applicant_name),
                    detail: format!(
                        "{} · {}",
                        d.tthc_name,
                        crate::dossier::status_label(i32::from(d.status.code()))
                    ),
                })
                .collect(),
            more_path: "/ho-so",
        },
    ])
}
