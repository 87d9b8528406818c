//! Trang chủ — the figures of the home page, counted inside the caller's scope.

use domain::org::Principal;
use store::Page;
use store::agency::AgencyFilter;
use store::task::TaskFilter;
use store::user::UserFilter;

use crate::task::{Stats, today};
use crate::{App, ServiceError};

/// What the home page counts within the caller's scope.
pub struct Overview {
    /// Active agencies.
    pub agencies: i64,
    /// Active accounts.
    pub users: i64,
    /// The tasks' statistics as of today.
    pub tasks: Stats,
}

/// The home page's figures for the principal: active agencies and accounts of their
/// scope, and the statistics of the tasks in it.
pub async fn overview(app: &App, p: &Principal) -> Result<Overview, ServiceError> {
    let (_, agencies) = crate::agency::list(
        app,
        p,
        AgencyFilter {
            active: Some(true),
            ..Default::default()
        },
        Page::new(Some(1), None),
    )
    .await?;
    let (_, users) = crate::user::list(
        app,
        p,
        UserFilter {
            active: Some(true),
            ..Default::default()
        },
        Page::new(Some(1), None),
    )
    .await?;
    let counts = store::task::status_counts(
        app.read_db(),
        &TaskFilter {
            scope_prefix: p.scope().prefix().map(str::to_string),
            today: Some(today()),
            ..Default::default()
        },
    )
    .await?;
    Ok(Overview {
        agencies,
        users,
        tasks: Stats::of(&counts),
    })
}
