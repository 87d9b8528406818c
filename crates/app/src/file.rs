//! Tệp đính kèm — the shape of attached files as clients see them.

use serde::Serialize;

/// Attached files; download each at `/api/v1/files/{id}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FileList {
    pub items: Vec<FileOut>,
    pub total: i64,
}

/// One attached file.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FileOut {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// A paper document digitised at intake (dossiers).
    pub digitized: bool,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    /// Where to download it.
    pub url: String,
}

impl FileList {
    pub fn of(files: Vec<store::file::FileMeta>) -> FileList {
        FileList {
            total: files.len() as i64,
            items: files
                .into_iter()
                .map(|f| FileOut {
                    url: format!("/api/v1/files/{}", f.id),
                    id: f.id,
                    name: f.name,
                    media_type: f.media_type,
                    size: f.size,
                    sha256: f.sha256,
                    digitized: f.digitized,
                    uploaded_at: f.uploaded_at,
                })
                .collect(),
        }
    }
}

/// An attached file and its content, for whoever may see the record it is attached to
/// (the task of a report, the directive, the dossier); 404 otherwise, so that neither the
/// file nor its owner leaks.
pub async fn download(
    app: &crate::App,
    p: &domain::org::Principal,
    id: i64,
) -> Result<(store::file::FileMeta, Vec<u8>), crate::ServiceError> {
    use store::file::Owner;
    let meta = store::file::meta(&app.db, id).await?;
    match meta.owner().ok_or(crate::ServiceError::NotFound)? {
        Owner::TaskReport(rid) => {
            let task_id = store::task::report_task(&app.db, rid).await?;
            crate::task::visible(app, p, task_id).await?;
        }
        Owner::Directive(did) => {
            crate::directive::visible(app, p, did).await?;
        }
        Owner::DossierDocument(id) | Owner::DossierResult(id) => {
            crate::dossier::visible(app, p, id).await?;
        }
        Owner::ParCard(id) => {
            crate::par::evidence_file_visible(app, p, id).await?;
        }
        Owner::Feedback(id) => {
            let r = store::feedback::get(&app.db, id).await?;
            crate::feedback::visible(app, p, &r).await?;
        }
        Owner::InspectionFinding(id) => {
            let inspection = store::inspection::finding_inspection(&app.db, id).await?;
            crate::inspection::visible(app, p, inspection).await?;
        }
    }
    let bytes = store::file::content(&app.db, &meta.sha256).await?;
    Ok((meta, bytes))
}
