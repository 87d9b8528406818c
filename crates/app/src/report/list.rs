//! Listing reports: the filter of a list request within the caller's scope, and a
//! report's history.

use store::Page;
use store::audit::AuditRow;
use store::report::ReportFilter;

use super::*;

/// What a list of reports asks for, as sent (empty values ignored).
#[derive(Debug, Default, Clone)]
pub struct ReportSearch {
    /// Template code: TTHC-THANG, CCHC-QUY, CCHC-NAM.
    pub template: Option<String>,
    /// 2023-10, 2023-Q3, 2023.
    pub period: Option<String>,
    /// Agency code: reports of that unit's subtree.
    pub unit: Option<String>,
    /// draft, submitted, accepted, returned.
    pub status: Option<String>,
}

/// The filter of a list request within the principal's scope: their subtree and the
/// merged units whose duties it holds. A unit outside both is a 404; an unknown status,
/// template or period a 400.
pub async fn filter(
    state: &App,
    p: &Principal,
    q: &ReportSearch,
) -> Result<ReportFilter, ServiceError> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let inherited_ids = match p.scope().prefix() {
        Some(_) => inherited_ids(state, p).await?,
        None => Vec::new(),
    };
    let unit_prefix = match clean(&q.unit) {
        Some(code) => match crate::indicator::resolve_unit(state, p, Some(&code)).await {
            Ok((_, _, path)) => path,
            // A unit merged into one of the caller's: its reports are theirs to finish.
            Err(ServiceError::NotFound) => match store::agency::get_by_code(&state.db, &code).await
            {
                Ok(a) if inherited_ids.contains(&a.id) => Some(a.path),
                _ => return Err(ServiceError::NotFound),
            },
            Err(e) => return Err(e),
        },
        None => None,
    };
    let status = clean(&q.status);
    if let Some(s) = &status
        && ReportStatus::parse(s).is_none()
    {
        return Err(ServiceError::bad(
            "Trạng thái phải là draft, submitted, accepted hoặc returned.",
        ));
    }
    let template = clean(&q.template);
    if let Some(t) = &template
        && !templates()?.codes().contains(&t.as_str())
    {
        return Err(ServiceError::bad(format!(
            "Không có biểu mẫu báo cáo mã “{t}”."
        )));
    }
    // As people write it too (10/2023, T10/2023, Q3/2023), kept in its code form.
    let period = match clean(&q.period) {
        None => None,
        Some(s) => Some(
            Period::parse_vi(&s)
                .ok_or_else(|| {
                    ServiceError::bad("Kỳ không hợp lệ (ví dụ: 10/2023, 2023-10, Q3/2023, 2023).")
                })?
                .to_string(),
        ),
    };
    Ok(ReportFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        inherited_ids,
        template_code: template,
        period,
        unit_prefix,
        status,
    })
}

/// Reports visible to the principal matching the search, with the total.
pub async fn list(
    state: &App,
    p: &Principal,
    q: &ReportSearch,
    page: Page,
) -> Result<(Vec<Report>, i64), ServiceError> {
    let f = filter(state, p, q).await?;
    Ok(store::report::list(state.read_db(), &f, page).await?)
}

/// The history of a report in the order it was recorded: its audit entries and the
/// closing of its template's period.
pub async fn history(state: &App, r: &Report) -> Result<Vec<AuditRow>, ServiceError> {
    Ok(store::report::history(&state.db, r).await?)
}
