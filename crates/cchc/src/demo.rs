//! The demo province: the real Nghệ An agencies named in the seed directives, with their
//! 2025 history, and demo accounts for each role. Data lives in `data/demo/*.csv`.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use domain::org::{AgencyKind, Role};
use serde::Deserialize;
use store::Db;
use store::agency::AgencyInput;
use store::audit::Actor;
use store::user::UserInput;

const AGENCIES_CSV: &str = include_str!("../../../data/demo/agencies.csv");
const USERS_CSV: &str = include_str!("../../../data/demo/users.csv");

#[derive(Debug, Deserialize)]
struct AgencyRow {
    code: String,
    parent_code: String,
    kind: String,
    name: String,
    short_name: String,
    valid_from: String,
    valid_to: String,
    merged_into: String,
    legal_basis: String,
}

#[derive(Debug, Deserialize)]
pub struct UserRow {
    pub username: String,
    pub full_name: String,
    pub title: String,
    pub roles: String,
    pub agency_code: String,
}

/// What was loaded, for the start-up message.
#[derive(Debug, Default)]
pub struct Summary {
    pub agencies: usize,
    pub users: Vec<UserRow>,
    pub directives: usize,
    pub tasks: usize,
}

fn date(s: &str, what: &str) -> anyhow::Result<Option<chrono::NaiveDate>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(Some)
        .with_context(|| format!("{what}: ngày không hợp lệ «{s}»"))
}

fn none_if_empty(s: &str) -> Option<String> {
    let s = domain::text::nfc(s.trim());
    (!s.is_empty()).then_some(s)
}

/// The demo accounts, for printing and for tests.
pub fn demo_users() -> anyhow::Result<Vec<UserRow>> {
    let mut rdr = csv::Reader::from_reader(USERS_CSV.as_bytes());
    rdr.deserialize()
        .collect::<Result<Vec<UserRow>, _>>()
        .context("data/demo/users.csv")
}

/// Loads the demo province into an empty database. Returns `None` when the database
/// already holds agencies (nothing is changed then).
pub async fn load(db: &Db, password: &str) -> anyhow::Result<Option<Summary>> {
    load_sized(db, password, crate::demo_dossiers::PER_YEAR).await
}

/// [`load`] with a chosen number of generated dossiers per year (the test suite uses a
/// small province so that each test's copy of the database stays small).
pub async fn load_sized(
    db: &Db,
    password: &str,
    dossiers_per_year: f64,
) -> anyhow::Result<Option<Summary>> {
    if store::agency::count(db).await? > 0 {
        return Ok(None);
    }
    let actor = Actor::system("demo");
    let mut rdr = csv::Reader::from_reader(AGENCIES_CSV.as_bytes());
    let rows: Vec<AgencyRow> = rdr
        .deserialize()
        .collect::<Result<_, _>>()
        .context("data/demo/agencies.csv")?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut inputs: HashMap<String, AgencyInput> = HashMap::new();
    // Parents first: repeat passes until every row whose parent exists is created.
    let mut pending: Vec<&AgencyRow> = rows.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut next = Vec::new();
        for r in pending {
            let parent_id = if r.parent_code.is_empty() {
                None
            } else {
                match ids.get(&r.parent_code) {
                    Some(id) => Some(*id),
                    None => {
                        next.push(r);
                        continue;
                    }
                }
            };
            let kind = AgencyKind::parse(&r.kind)
                .ok_or_else(|| anyhow!("{}: loại cơ quan không hợp lệ «{}»", r.code, r.kind))?;
            let input = AgencyInput {
                code: r.code.clone(),
                parent_id,
                kind,
                name: domain::text::nfc(&r.name),
                short_name: none_if_empty(&r.short_name)
                    .unwrap_or_else(|| domain::text::nfc(&r.name)),
                valid_from: date(&r.valid_from, &r.code)?
                    .ok_or_else(|| anyhow!("{}: thiếu valid_from", r.code))?,
                valid_to: date(&r.valid_to, &r.code)?,
                merged_into_id: None,
                legal_basis: none_if_empty(&r.legal_basis),
            };
            let a = store::agency::create(db, &input, &actor).await?;
            ids.insert(r.code.clone(), a.id);
            inputs.insert(r.code.clone(), input);
        }
        if next.len() == before {
            return Err(anyhow!(
                "data/demo/agencies.csv: không tìm thấy cơ quan cấp trên của {}",
                next[0].code
            ));
        }
        pending = next;
    }
    // Then the successor links, which may point anywhere in the tree.
    for r in rows.iter().filter(|r| !r.merged_into.is_empty()) {
        let target = *ids
            .get(&r.merged_into)
            .ok_or_else(|| anyhow!("{}: merged_into «{}» không tồn tại", r.code, r.merged_into))?;
        let mut input = inputs
            .remove(&r.code)
            .ok_or_else(|| anyhow!("{}: trùng mã", r.code))?;
        input.merged_into_id = Some(target);
        store::agency::update(db, ids[&r.code], &input, &actor).await?;
    }
    // One hash for every demo account: they share the operator-chosen demo password.
    let hash = app::password::hash(password.to_string())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let users = demo_users()?;
    for u in &users {
        let agency_id = *ids
            .get(&u.agency_code)
            .ok_or_else(|| anyhow!("{}: cơ quan «{}» không tồn tại", u.username, u.agency_code))?;
        let roles = u
            .roles
            .split(';')
            .map(|r| {
                Role::parse(r.trim())
                    .ok_or_else(|| anyhow!("{}: vai trò «{r}» không tồn tại", u.username))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let input = UserInput {
            username: u.username.clone(),
            full_name: domain::text::nfc(&u.full_name),
            title: none_if_empty(&u.title),
            email: None,
            phone: None,
            agency_id,
            roles,
        };
        store::user::create(db, &input, &hash, false, &actor).await?;
    }
    let (directives, tasks) = crate::demo_directives::load(db).await?;
    // Open tasks of agencies merged since 2023 belong to their successors today.
    let today = domain::time::today();
    store::task::transfer_dissolved(db, today, &actor).await?;
    let catalog = crate::demo_procedures::load(db).await?;
    tracing::info!(
        imported = catalog.imported,
        with_agency = catalog.with_agency,
        with_process = catalog.with_process,
        rejected = catalog.rejected.len(),
        "danh mục TTHC mẫu"
    );
    let t0 = std::time::Instant::now();
    let dossiers = crate::demo_dossiers::load(db, chrono::Utc::now(), dossiers_per_year)
        .await
        .context("hồ sơ TTHC mẫu")?;
    tracing::info!(
        dossiers = dossiers.dossiers,
        events = dossiers.events,
        ms = t0.elapsed().as_millis() as u64,
        "hồ sơ TTHC mẫu"
    );
    let reports = crate::demo_reports::load(db, &hash)
        .await
        .context("báo cáo định kỳ mẫu")?;
    tracing::info!(reports, "báo cáo định kỳ mẫu");
    let (rounds, cards) = crate::demo_par::load(db).await.context("Chỉ số CCHC mẫu")?;
    tracing::info!(rounds, cards, "Chỉ số CCHC mẫu");
    let feedback = crate::demo_feedback::load(db, chrono::Utc::now())
        .await
        .context("phản ánh, kiến nghị mẫu")?;
    tracing::info!(feedback, "phản ánh, kiến nghị mẫu");
    let inspections = crate::demo_inspections::load(db)
        .await
        .context("kiểm tra công tác CCHC mẫu")?;
    tracing::info!(inspections, "kiểm tra công tác CCHC mẫu");
    // The due tasks of reports never sent by agencies merged since then move on too.
    store::task::transfer_dissolved(db, today, &actor).await?;
    Ok(Some(Summary {
        agencies: rows.len(),
        users,
        directives,
        tasks,
    }))
}
