//! The guided desk: a dossier's process (its approved internal process, or the default
//! one), the actions the caller can take next (`domain::dossier::workflow`), the officers
//! a step can be assigned to, the procedure's published documents as a checklist, and the
//! one-stop desk's home (what waits for the clerk today).

use chrono::{DateTime, Duration, Utc};
use domain::dossier::workflow::{self, Caps, Offered};
use domain::org::{Principal, Role};
use domain::procedure::documents::{self, RequiredDocument};
use store::Page;
use store::dossier::{Dossier, DossierFilter, ReceivedDocument};
use store::procedure::{IntakeProcedure, IntakeStep};

use super::{local, utc};
use crate::{App, ServiceError};

/// The process a dossier of this procedure follows: its approved steps, or (none entered)
/// the default process filling its legal limit (`domain::procedure::process::default_process`).
pub fn process_of(proc: &IntakeProcedure) -> Vec<IntakeStep> {
    if !proc.steps.is_empty() {
        return proc.steps.clone();
    }
    let hours = domain::dossier::IntakePolicy::default().hours;
    let budget = proc
        .limit
        .map(|l| domain::procedure::process::budget_minutes(l, &hours))
        .unwrap_or_else(|| hours.minutes_per_day());
    domain::procedure::process::default_process(budget)
        .into_iter()
        .enumerate()
        .map(|(i, s)| IntakeStep {
            seq: i as i32,
            name: s.name,
            role: s.role,
            agency_id: s.agency_id,
            minutes: s.minutes,
        })
        .collect()
}

/// The roles of a process's steps, in order.
pub fn roles_of(steps: &[IntakeStep]) -> Vec<&str> {
    steps.iter().map(|s| s.role.as_str()).collect()
}

/// Whether the principal may sign for the unit handling a dossier: a leader of that unit
/// (or an administrator).
pub fn is_signer(p: &Principal, handling_path: &str) -> bool {
    p.is_admin() || (p.has(Role::LanhDaoDonVi) && handling_path.starts_with(p.agency_path.as_str()))
}

/// Everything the dossier page needs to guide its reader.
#[derive(Debug, Clone)]
pub struct Guide {
    pub offered: Vec<Offered>,
    /// The current step's name and who acts in it.
    pub step_name: String,
    pub step_role: String,
    /// The process: (name, role label, done, current).
    pub steps: Vec<(String, String, bool, bool)>,
    /// Officers of the handling unit a step can be assigned to (id, "Name — title").
    pub officers: Vec<(i64, String)>,
    /// The procedure's published documents and those received with this dossier.
    pub checklist: Vec<RequiredDocument>,
    pub received: Vec<ReceivedDocument>,
}

pub async fn guide(state: &App, p: &Principal, d: &Dossier) -> Result<Guide, ServiceError> {
    let proc = state.intake_procedure(d.tthc_id).await?;
    let steps = process_of(&proc);
    let roles = roles_of(&steps);
    let names: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
    let handling = d
        .handling_path
        .clone()
        .unwrap_or_else(|| d.agency_path.clone());
    let caps = Caps {
        desk: p.can_work_desk(&d.agency_path),
        process: p.can_process_at(&handling),
        sign: is_signer(p, &handling),
    };
    let status = d.status;
    let offered = workflow::offered(status, d.step_seq, &names, &roles, caps);
    let at = usize::try_from(d.step_seq.max(0))
        .unwrap_or(0)
        .min(steps.len().saturating_sub(1));
    let finished = matches!(
        status,
        domain::dossier::DossierStatus::Finished | domain::dossier::DossierStatus::Returned
    );
    let officers = if offered.iter().any(|o| o.person) {
        officers(state, &handling).await?
    } else {
        Vec::new()
    };
    let full = store::procedure::get(&state.db, d.tthc_id).await?;
    Ok(Guide {
        step_name: steps.get(at).map(|s| s.name.clone()).unwrap_or_default(),
        step_role: steps
            .get(at)
            .map(|s| domain::procedure::process::role_label(&s.role).to_string())
            .unwrap_or_default(),
        steps: steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    s.name.clone(),
                    domain::procedure::process::role_label(&s.role).to_string(),
                    finished || i < at,
                    !finished && i == at,
                )
            })
            .collect(),
        offered,
        officers,
        checklist: documents::parse(&full.documents),
        received: store::dossier::documents(&state.db, d.id).await?,
    })
}

/// Active officers and heads of a unit's subtree, for "assign to a person".
pub async fn officers(state: &App, unit_path: &str) -> Result<Vec<(i64, String)>, ServiceError> {
    let (users, _) = store::user::list(
        &state.db,
        &store::user::UserFilter {
            scope_prefix: Some(unit_path.to_string()),
            active: Some(true),
            ..Default::default()
        },
        Page::new(Some(500), None),
    )
    .await?;
    Ok(users
        .into_iter()
        .filter(|u| {
            u.roles
                .iter()
                .any(|r| matches!(r, Role::ChuyenVien | Role::LanhDaoDonVi))
        })
        .map(|u| {
            let title = u.title.clone().unwrap_or_default();
            let label = if title.is_empty() {
                u.full_name.clone()
            } else {
                format!("{} — {title}", u.full_name)
            };
            (u.id, label)
        })
        .collect())
}

/// Checks the officer a step is assigned to: active, in the handling unit, an officer or
/// head (not a desk clerk, not someone of another unit).
pub async fn check_assignee(
    state: &App,
    user_id: i64,
    handling_path: &str,
) -> Result<(), ServiceError> {
    let u = store::user::get(&state.db, user_id)
        .await
        .map_err(|_| ServiceError::invalid("to_user_id", "Người được phân công không tồn tại."))?;
    let fits = u.active
        && u.agency_path.starts_with(handling_path)
        && u.roles
            .iter()
            .any(|r| matches!(r, Role::ChuyenVien | Role::LanhDaoDonVi));
    if !fits {
        return Err(ServiceError::invalid(
            "to_user_id",
            "Chỉ phân công cho chuyên viên hoặc lãnh đạo đang làm việc tại cơ quan giải quyết hồ sơ.",
        ));
    }
    Ok(())
}

/// One list on the desk's home: its title, how many, the first rows and the list behind.
#[derive(Debug, Clone)]
pub struct DeskList {
    pub key: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub total: i64,
    pub rows: Vec<Dossier>,
    pub href: String,
}

/// The desk's home: online dossiers waiting to be received, results waiting to be
/// returned, dossiers due within two working days, overdue ones, and those waiting for
/// the applicant (supplement, payment). Scoped like every dossier list.
pub async fn desk_home(
    state: &App,
    p: &Principal,
    now: DateTime<Utc>,
) -> Result<Vec<DeskList>, ServiceError> {
    let near = near_deadline_bound(state, now).await?;
    let specs: [(
        &'static str,
        &'static str,
        &'static str,
        DossierFilter,
        String,
    ); 6] = [
        (
            "online",
            "Hồ sơ trực tuyến chờ tiếp nhận",
            "Kiểm tra thành phần hồ sơ, tiếp nhận hoặc từ chối.",
            DossierFilter {
                status: Some(1),
                ..Default::default()
            },
            "/ho-so?status=1".into(),
        ),
        (
            "return",
            "Chờ trả kết quả",
            "Đã có kết quả: mời người nộp đến nhận hoặc gửi bưu chính.",
            DossierFilter {
                status: Some(9),
                ..Default::default()
            },
            "/ho-so?status=9".into(),
        ),
        (
            "near",
            "Sắp đến hạn (2 ngày làm việc)",
            "Đôn đốc cơ quan giải quyết; lập phiếu xin lỗi nếu không kịp.",
            DossierFilter {
                due_between: Some(near),
                ..Default::default()
            },
            "/ho-so?sap_han=1".into(),
        ),
        (
            "overdue",
            "Đã quá hạn",
            "Cần phiếu xin lỗi, hẹn lại ngày trả.",
            DossierFilter {
                overdue_at: Some(now),
                ..Default::default()
            },
            "/ho-so?qua_han=1".into(),
        ),
        (
            "supplement",
            "Chờ người nộp bổ sung",
            "Khi nhận đủ giấy tờ bổ sung: ghi nhận để thời hạn tính tiếp.",
            DossierFilter {
                status: Some(5),
                ..Default::default()
            },
            "/ho-so?status=5".into(),
        ),
        (
            "payment",
            "Chờ thực hiện nghĩa vụ tài chính",
            "Ghi nhận khi người nộp đã nộp phí, lệ phí, thuế.",
            DossierFilter {
                status: Some(6),
                ..Default::default()
            },
            "/ho-so?status=6".into(),
        ),
    ];
    let mut out = Vec::with_capacity(specs.len());
    for (key, title, hint, f, href) in specs {
        let (rows, total) = super::list(state, p, f, Page::new(Some(8), None)).await?;
        out.push(DeskList {
            key,
            title,
            hint,
            total,
            rows,
            href,
        });
    }
    Ok(out)
}

/// The window of the "near the deadline" list at `now` (the page's `?sap_han=1`): from now
/// to the end of the second working day after today.
pub async fn near_deadline_bound(
    state: &App,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ServiceError> {
    let cal = state.calendar.get(&state.db).await?;
    let today = local(now).date();
    let horizon = cal
        .add_working_days(today, 2)
        .unwrap_or(today + Duration::days(2));
    Ok((
        now,
        utc(horizon.and_hms_opt(23, 59, 59).unwrap_or_default()),
    ))
}

/// Agencies a dossier can be handed to for liên thông: those in force today, departments
/// and UBND first, by name (a one-stop centre does not process dossiers).
pub async fn transfer_targets(
    state: &App,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, String)>, ServiceError> {
    let today = local(now).date();
    let mut out: Vec<(i64, String)> = crate::agency::all(state)
        .await?
        .into_iter()
        .filter(|a| a.active && a.valid_on(today) && a.kind != "trung_tam_phvhcc")
        .map(|a| (a.id, a.name))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// The published documents of the procedure the intake form names (its id, its code, or
/// "code – name" as the form's list offers it); `None` when no procedure is found, empty
/// when it has no published list.
pub async fn checklist(
    state: &App,
    tthc: &str,
) -> Result<Option<Vec<RequiredDocument>>, ServiceError> {
    let code = tthc.split(" – ").next().unwrap_or("").trim();
    if code.is_empty() {
        return Ok(None);
    }
    let found = match code.parse::<i64>() {
        Ok(id) => store::procedure::get(&state.db, id).await,
        Err(_) => store::procedure::get_by_code(&state.db, code).await,
    };
    match found {
        Ok(p) => Ok(Some(documents::parse(&p.documents))),
        Err(store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
