//! Thông báo — a user's own notifications (reminders, returned reports, decisions): only
//! the recipient reads or marks them; anyone else's is 404.

use store::Page;
use store::notification::Notification;

use crate::{App, Caller, ServiceError};

/// The caller's notifications, unread first, newest first, with the total.
pub async fn list(
    app: &App,
    caller: &Caller,
    page: Page,
) -> Result<(Vec<Notification>, i64), ServiceError> {
    Ok(store::notification::list_for_user(&app.db, caller.principal.user_id, page).await?)
}

/// How many of the caller's notifications are unread.
pub async fn unread(app: &App, caller: &Caller) -> Result<i64, ServiceError> {
    Ok(store::notification::count_unread(&app.db, caller.principal.user_id).await?)
}

/// Marks one of the caller's notifications read (404 for anyone else's).
pub async fn mark_read(app: &App, caller: &Caller, id: i64) -> Result<(), ServiceError> {
    Ok(store::notification::mark_read(&app.db, id, caller.principal.user_id).await?)
}

/// Marks all the caller's notifications read; returns how many changed.
pub async fn mark_all_read(app: &App, caller: &Caller) -> Result<u64, ServiceError> {
    Ok(store::notification::mark_all_read(&app.db, caller.principal.user_id).await?)
}
