//! Reading dossiers: lists inside the caller's scope, one dossier with its control sheet
//! and files, the facts of its official forms, the desk's register, the synchronisation
//! outbox and the public look-up by code and second factor.

use chrono::{Duration, NaiveDate};
use store::Page;
use store::agency::Agency;
use store::dossier::{DossierFilter, Event, OutboxRow};
use store::file::{FileMeta, Owner};

use super::*;

/// Dossiers inside the principal's scope matching `f` (whatever scope `f` names is
/// replaced by the principal's), with the total.
pub async fn list(
    state: &App,
    p: &Principal,
    f: DossierFilter,
    page: Page,
) -> Result<(Vec<Dossier>, i64), ServiceError> {
    let f = scoped(p, f);
    Ok(store::dossier::list(state.read_db(), &f, page).await?)
}

fn scoped(p: &Principal, f: DossierFilter) -> DossierFilter {
    DossierFilter {
        scope_prefix: p.scope().prefix().map(str::to_string),
        ..f
    }
}

/// A page of the dossier list and how many dossiers of each status match.
pub struct DossierList {
    pub items: Vec<Dossier>,
    pub total: i64,
    /// (status code, count) of the dossiers matching the filter.
    pub counts: Vec<(i32, i64)>,
}

/// [`list`] with the count of each status, for the list page.
pub async fn list_with_counts(
    state: &App,
    p: &Principal,
    f: DossierFilter,
    page: Page,
) -> Result<DossierList, ServiceError> {
    let f = scoped(p, f);
    let items = store::dossier::items(state.read_db(), &f, page).await?;
    let counts = store::dossier::status_counts(state.read_db(), &f).await?;
    // The counts ignore the status filter: the total is the chosen status's count, or all.
    let total = match f.status {
        Some(s) => counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    Ok(DossierList {
        items,
        total,
        counts,
    })
}

/// One dossier with its control sheet and files.
pub struct DossierView {
    pub dossier: Dossier,
    /// Every hand-over and action, oldest first.
    pub events: Vec<Event>,
    /// The documents filed with it.
    pub documents: Vec<FileMeta>,
    /// Its result files.
    pub results: Vec<FileMeta>,
}

/// One dossier the principal may see (404 otherwise) with its events and files.
pub async fn view(state: &App, p: &Principal, id: i64) -> Result<DossierView, ServiceError> {
    let dossier = visible(state, p, id).await?;
    Ok(DossierView {
        events: store::dossier::events(&state.db, dossier.id).await?,
        documents: store::file::list(&state.db, Owner::DossierDocument(dossier.id)).await?,
        results: store::file::list(&state.db, Owner::DossierResult(dossier.id)).await?,
        dossier,
    })
}

/// The facts an official form of a dossier is filled from.
pub struct Papers {
    pub dossier: Dossier,
    pub events: Vec<Event>,
    /// The name of the desk agency's parent (none for the province's own desk).
    pub desk_parent: Option<String>,
    pub procedure: IntakeProcedure,
    pub documents: Vec<FileMeta>,
    /// The documents of the published list ticked at intake (migration 0021).
    pub received: Vec<store::dossier::ReceivedDocument>,
}

/// What the official forms of a visible dossier need (404 outside the scope).
pub async fn papers(state: &App, p: &Principal, id: i64) -> Result<Papers, ServiceError> {
    let d = visible(state, p, id).await?;
    let events = store::dossier::events(&state.db, d.id).await?;
    let desk = store::agency::get(&state.db, d.agency_id).await?;
    let desk_parent = match desk.parent_id {
        Some(pid) => Some(store::agency::get(&state.db, pid).await?.name),
        None => None,
    };
    Ok(Papers {
        events,
        desk_parent,
        procedure: store::procedure::for_intake(&state.db, d.tthc_id).await?,
        documents: store::file::list(&state.db, Owner::DossierDocument(d.id)).await?,
        received: store::dossier::documents(&state.db, d.id).await?,
        dossier: d,
    })
}

/// The register (sổ theo dõi hồ sơ) of the caller's own desk for a period.
pub struct Register {
    /// The caller's agency.
    pub desk: Agency,
    /// The name of its parent (none for the province itself).
    pub desk_parent: Option<String>,
    /// The dossiers it received in the period, oldest first, each with its events.
    pub rows: Vec<(Dossier, Vec<Event>)>,
}

/// The dossiers the principal's own agency received on the days `from..=to` (at most
/// 5,000), with their events.
pub async fn register(
    state: &App,
    p: &Principal,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Register, ServiceError> {
    let desk = store::agency::get(&state.db, p.agency_id).await?;
    let f = DossierFilter {
        agency_id: Some(p.agency_id),
        received_from: Some(utc(from.and_hms_opt(0, 0, 0).unwrap_or_default())),
        received_to: Some(utc((to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default())),
        ..Default::default()
    };
    let (mut items, _) =
        store::dossier::list(state.read_db(), &f, Page::new(Some(5000), None)).await?;
    items.retain(|d| d.agency_id == p.agency_id);
    items.reverse();
    let desk_parent = match desk.parent_id {
        Some(pid) => Some(store::agency::get(&state.db, pid).await?.name),
        None => None,
    };
    let mut rows = Vec::with_capacity(items.len());
    for d in items {
        let events = store::dossier::events(&state.db, d.id).await?;
        rows.push((d, events));
    }
    Ok(Register {
        desk,
        desk_parent,
        rows,
    })
}

/// State changes of dossiers in the principal's scope not yet accepted by the national
/// portal, oldest first (at most `limit`), with how many there are.
pub async fn outbox(
    state: &App,
    p: &Principal,
    limit: i64,
) -> Result<(Vec<OutboxRow>, i64), ServiceError> {
    Ok(store::dossier::outbox_pending(&state.db, p.scope().prefix(), limit).await?)
}

/// The public look-up: the dossier with this code, if `last4` are the last four digits of
/// the applicant's phone (or of their ID number when no phone was given). `None` when
/// there is no such dossier or the digits do not match, so a code alone discloses
/// nothing.
/// Public look-ups an address may make per minute.
pub const LOOKUPS_PER_MINUTE: u32 = 10;
/// Wrong "last four digits" one dossier code may receive per hour, from all addresses.
pub const MISSES_PER_CODE_PER_HOUR: u32 = 10;

/// The public look-up (`/tra-cuu`) with its brute-force guard: at most
/// [`LOOKUPS_PER_MINUTE`] per client address, and at most [`MISSES_PER_CODE_PER_HOUR`]
/// wrong guesses per dossier code from everywhere (the 10,000 possible last four digits can
/// no longer be tried: before, all of them took 10 s). Over a limit: `TooMany` with the
/// seconds to wait.
pub async fn lookup_public(
    state: &App,
    address: Option<&str>,
    code: &str,
    last4: &str,
) -> Result<Option<Dossier>, ServiceError> {
    let wait = |secs: u64| ServiceError::TooMany {
        message: format!(
            "Tra cứu quá nhiều lần; vui lòng thử lại sau {} phút.",
            secs.div_ceil(60)
        ),
        retry_after: secs,
    };
    state
        .lookups_by_address
        .hit(address.unwrap_or("unknown"))
        .map_err(wait)?;
    let found = lookup(state, code, last4).await?;
    if found.is_none() {
        state.misses_by_code.hit(code).map_err(wait)?;
    }
    Ok(found)
}

pub async fn lookup(state: &App, code: &str, last4: &str) -> Result<Option<Dossier>, ServiceError> {
    let d = match store::dossier::get_by_code(&state.db, code).await {
        Ok(d) => d,
        Err(store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let digits = |s: &Option<String>| {
        s.as_deref()
            .map(|x| x.chars().filter(char::is_ascii_digit).collect::<String>())
            .filter(|x| x.len() >= 4)
    };
    let factor = digits(&d.applicant_phone).or(digits(&d.applicant_id_no));
    Ok(factor.is_some_and(|f| f.ends_with(last4)).then_some(d))
}
