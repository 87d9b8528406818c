//! Nhật ký hệ thống — the append-only audit log, read by those who may (administrators).

use domain::org::Principal;
use store::Page;
use store::audit::{AuditFilter, AuditRow};

use crate::{App, ServiceError};

/// The audit entries matching `f`, newest first, with the total (403 for anyone who may
/// not read the log).
pub async fn list(
    app: &App,
    p: &Principal,
    f: &AuditFilter,
    page: Page,
) -> Result<(Vec<AuditRow>, i64), ServiceError> {
    if !p.can_read_audit() {
        return Err(ServiceError::forbidden());
    }
    Ok(store::audit::list(app.read_db(), f, page).await?)
}
