//! Candidates for the monthly overdue list (CV 6486/UBND-KSTT item 3): dossiers and tasks
//! that may be overdue in a period, for one unit (an agency subtree, or the province).
//!
//! Dossiers are found through the partial indexes of migration 0012 only (the open ones by
//! deadline, the late-finished, late-stopped and late-withdrawn ones by end time), so the
//! cost follows the number of overdue dossiers, not the size of the history.
//! `domain::overdue` makes the final decision on each row.

use chrono::{DateTime, NaiveDate, Utc};

use crate::arg::Arg;
use crate::{Db, Result, StoreError, like_prefix, on_db};

/// One dossier that may be overdue, with what the list shows about it.
#[derive(Debug, Clone)]
pub struct OverdueDossier {
    pub id: i64,
    pub code: String,
    pub tthc_code: String,
    pub tthc_name: String,
    pub status: i32,
    pub agency_name: String,
    pub handling_agency_name: Option<String>,
    /// The agency that caused the delay (recorded with the late step or the apology).
    pub delay_agency_name: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub stopped_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub rescheduled_at: Option<DateTime<Utc>>,
    pub delay_reason: Option<String>,
    pub delay_user_name: Option<String>,
    pub assignee_name: Option<String>,
    /// Start of the supplementation pause still open, if any.
    pub open_pause_since: Option<DateTime<Utc>>,
}

/// The steps the list shows for one dossier, as of the cut-off ([`steps`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverdueSteps {
    pub id: i64,
    /// The step in progress (the last step opened on the control sheet).
    pub current_step: Option<String>,
    /// The last step that was closed after its due time.
    pub late_step: Option<String>,
}

/// What the list needs of a candidate to judge it, sort it and count it: no names (those
/// are read for the rows shown only, [`details`]).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct OverdueCandidate {
    pub id: i64,
    pub code: String,
    pub status: i32,
    /// The unit responsible for the delay: the agency recorded with the delay, else the
    /// handling agency, else the receiving desk.
    pub unit_id: i64,
    /// A reason for the delay was stated.
    #[serde(deserialize_with = "flag")]
    pub has_reason: bool,
    #[serde(deserialize_with = "time_opt")]
    pub received_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "time_opt")]
    pub due_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "time_opt")]
    pub finished_at: Option<DateTime<Utc>>,
    /// Stopped, else withdrawn: ended without a result.
    #[serde(deserialize_with = "time_opt")]
    pub ended_at: Option<DateTime<Utc>>,
    /// Start of the supplementation pause still open, if any (status 5 only).
    #[serde(deserialize_with = "time_opt")]
    pub open_pause_since: Option<DateTime<Utc>>,
}

fn time_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<DateTime<Utc>>, D::Error> {
    let s: Option<&str> = serde::Deserialize::deserialize(d)?;
    match s {
        None => Ok(None),
        Some(s) => parse_time(s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("thời điểm không đọc được: {s}"))),
    }
}

/// 0/1 (SQLite) or a JSON boolean (PostgreSQL).
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
    let v: serde_json::Value = serde::Deserialize::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::Number(n) => n.as_i64().unwrap_or(0) != 0,
        _ => false,
    })
}

/// The ended candidates of the period `[start, cut)`: finished, stopped or withdrawn
/// after their deadline from `start` on (each branch matches one partial index of
/// migration 0012 term for term). The open ones (due before `cut`) are read apart, from
/// the covering index of migration 0015.
const ENDED: &str = "select id from dossier where finished_at > due_at and finished_at >= $2 and due_at < $3 \
     union select id from dossier where stopped_at > due_at and stopped_at >= $3 and due_at < $3 \
     union select id from dossier where withdrawn_at > due_at and withdrawn_at >= $3 and due_at < $3";

/// The open statuses, written as the partial index `dossier_open_due_idx` writes them.
const OPEN: &str = "h.status in (1, 2, 4, 5, 6)";

/// The scope condition of a dossier `h` on the unit with LIKE pattern `$1`: received by,
/// handled by, or handed through an agency of the subtree (the rule of
/// `web::routes::dossier::visible`). The hand-over test is a scalar subquery with `limit 1`
/// so that PostgreSQL evaluates it per candidate rather than hashing every event of the
/// table.
const SCOPE: &str = "(a.path like $1 escape '\\' or ha.path like $1 escape '\\' \
     or (select 1 from dossier_event e join agency x on x.id = e.agency_id or x.id = e.to_agency_id \
         where e.dossier_id = h.id and x.path like $1 escape '\\' limit 1) is not null)";

/// Dossiers that may be overdue in `[start, cut)` for the subtree at `scope_path`
/// (`None`: the province): open now and due before `cut`, or finished, stopped or withdrawn
/// after their deadline from `start` on. Sorted by id. Only what judging, sorting and
/// counting need: the names of the rows shown come from [`details`], their steps from
/// [`steps`]. (An open supplementation pause implies status 5, so only those dossiers
/// look for one.)
///
/// With `full_scan`, the same judgement reads every dossier instead of the candidates of
/// the partial indexes: the reference that `cchc bench indicators` times the list against.
pub async fn candidates(
    db: &Db,
    scope_path: Option<&str>,
    start: DateTime<Utc>,
    cut: DateTime<Utc>,
    full_scan: bool,
) -> Result<Vec<OverdueCandidate>> {
    // A subtree that holds every agency (the province's people's committee) is the
    // province: no scope test per candidate.
    let pattern = crate::subtree_pattern(db, scope_path).await?;
    let (joins, scope) = if pattern.is_some() {
        (
            "join agency a on a.id = h.agency_id left join agency ha on ha.id = h.handling_agency_id",
            format!("and {SCOPE}"),
        )
    } else {
        // The province: every dossier (the parameter is still bound, and ignored).
        ("", "and cast($1 as text) is null".to_string())
    };
    let stated = stated_sql("h.delay_reason");
    let select = format!(
        "select h.id + 0 as id, h.code, h.status, coalesce(h.delay_agency_id, h.handling_agency_id, h.agency_id) as unit_id, \
           case when {stated} then 1 else 0 end as has_reason, \
           h.received_at, h.due_at, h.finished_at, coalesce(h.stopped_at, h.withdrawn_at) as ended_at, \
           case when h.status = 5 then (select max(x.started_at) from dossier_pause x \
              where x.dossier_id = h.id and x.kind = 'supplement' and x.ended_at is null) end as open_pause_since"
    );
    // `h.id + 0`: the rows are sorted by id afterwards; with the bare rowid SQLite would
    // rather walk the whole table in id order than sort the candidates of the index.
    let rows = if full_scan {
        // Every dossier received before the cut-off (the parameters stay bound).
        format!(
            "{select} from dossier h {joins} \
             where h.status <> 3 and h.received_at < $3 and cast($2 as text) is not null {scope}"
        )
    } else {
        // Open dossiers from the covering index (no table page per candidate), then the
        // ended ones by id. An open dossier in an "ended" branch is also in the open one
        // (every branch asks `due_at < $3`), so the second part leaves open statuses out
        // and no dossier comes twice.
        // PostgreSQL cannot estimate the partial indexes' ranges (58,000 rows expected for
        // 450 found) and would hash-join them against a scan of the whole dossier table;
        // `id = any(array(…))` makes it fetch the few ids by primary key.
        let ended = match db {
            Db::Sqlite(_) => {
                format!("from ({ENDED}) c join dossier h on h.id = c.id {joins} where")
            }
            Db::Pg(_) => format!("from dossier h {joins} where h.id = any(array({ENDED})) and"),
        };
        format!(
            "select h.* from ({select} from dossier h {joins} \
               where {OPEN} and h.due_at < $3 {scope} \
             union all {select} {ended} h.status <> 3 and not {OPEN} {scope}) h"
        )
    };
    const COLS: &str = "q.id, q.code, q.status, q.unit_id, q.has_reason, q.received_at, q.due_at, \
        q.finished_at, q.ended_at, q.open_pause_since";
    let args = [
        Arg::Text(pattern.clone()),
        Arg::Time(Some(start)),
        Arg::Time(Some(cut)),
    ];
    let text = json_rows(db, &rows, COLS, &args).await?;
    let rows: Vec<OverdueCandidate> = match text {
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| StoreError::Invalid(format!("danh sách quá hạn: {e}")))?,
        None => Vec::new(),
    };
    Ok(rows)
}

/// Runs `rows` (a query over `h`, with the parameters `args` as `$1`, `$2`, …) and returns
/// its columns `cols` (of the subquery `q`) as one JSON array of arrays, sorted by `q.id`,
/// built by the database: a province-wide list has tens of thousands of candidates, and
/// sqlx hands rows over one by one (on SQLite, each from the connection's thread).
async fn json_rows(db: &Db, rows: &str, cols: &str, args: &[Arg]) -> Result<Option<String>> {
    Ok(match db {
        Db::Sqlite(p) => {
            let sql = format!(
                "select json_group_array(json_array({cols})) from ({rows} order by h.id) q"
            );
            crate::bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), args)
                .fetch_one(p)
                .await?
        }
        Db::Pg(p) => {
            let sql = format!(
                "select cast(json_agg(json_build_array({cols}) order by q.id) as text) from ({rows}) q"
            );
            crate::bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), args)
                .fetch_one(p)
                .await?
        }
    })
}

/// The dossiers `ids` with what the list shows about them (names of the procedure, the
/// desk, the handling agency, the officers), as they are now. Sorted by id.
pub async fn details(db: &Db, ids: &[i64]) -> Result<Vec<OverdueDossier>> {
    const COLS: &str = "q.id, q.code, q.tthc_code, q.tthc_name, q.status, q.agency_name, \
        q.handling_agency_name, q.delay_agency_name, q.received_at, q.due_at, q.finished_at, \
        q.stopped_at, q.withdrawn_at, q.rescheduled_at, q.delay_reason, q.delay_user_name, \
        q.assignee_name, q.open_pause_since";
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let list = id_list(chunk);
        let rows = format!(
            "select h.id, h.code, p.code as tthc_code, p.name as tthc_name, h.status, a.name as agency_name, \
               ha.name as handling_agency_name, da.name as delay_agency_name, h.received_at, h.due_at, \
               h.finished_at, h.stopped_at, h.withdrawn_at, h.rescheduled_at, h.delay_reason, \
               du.full_name as delay_user_name, au.full_name as assignee_name, \
               case when h.status = 5 then (select max(x.started_at) from dossier_pause x \
                  where x.dossier_id = h.id and x.kind = 'supplement' and x.ended_at is null) end as open_pause_since \
             from dossier h join tthc p on p.id = h.tthc_id join agency a on a.id = h.agency_id \
             left join agency ha on ha.id = h.handling_agency_id left join agency da on da.id = h.delay_agency_id \
             left join app_user du on du.id = h.delay_user_id left join app_user au on au.id = h.assignee_id \
             where h.id in ({list})"
        );
        let text = json_rows(db, &rows, COLS, &[]).await?;
        let rows: Vec<Vec<serde_json::Value>> = match text {
            Some(t) => serde_json::from_str(&t)
                .map_err(|e| StoreError::Invalid(format!("danh sách quá hạn: {e}")))?,
            None => Vec::new(),
        };
        for r in &rows {
            out.push(OverdueDossier::from_json(r)?);
        }
    }
    Ok(out)
}

/// Every agency's name by id (the responsible units of the list).
pub async fn agency_names(db: &Db) -> Result<std::collections::HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = on_db!(db, |p| {
        sqlx::query_as("select id, name from agency")
            .fetch_all(p)
            .await?
    });
    Ok(rows.into_iter().collect())
}

impl OverdueDossier {
    /// One row of the JSON array of [`dossiers`], columns in the order of `COLS`.
    fn from_json(r: &[serde_json::Value]) -> Result<OverdueDossier> {
        let bad = || StoreError::Invalid("danh sách quá hạn: dòng không đọc được".into());
        let at = |i: usize| r.get(i).ok_or_else(bad);
        let text = |i: usize| -> Result<Option<String>> { Ok(at(i)?.as_str().map(str::to_string)) };
        let time = |i: usize| -> Result<Option<DateTime<Utc>>> {
            match at(i)?.as_str() {
                None => Ok(None),
                Some(s) => parse_time(s).map(Some).ok_or_else(bad),
            }
        };
        Ok(OverdueDossier {
            id: at(0)?.as_i64().ok_or_else(bad)?,
            code: text(1)?.ok_or_else(bad)?,
            tthc_code: text(2)?.ok_or_else(bad)?,
            tthc_name: text(3)?.ok_or_else(bad)?,
            status: at(4)?
                .as_i64()
                .and_then(|x| i32::try_from(x).ok())
                .ok_or_else(bad)?,
            agency_name: text(5)?.ok_or_else(bad)?,
            handling_agency_name: text(6)?,
            delay_agency_name: text(7)?,
            received_at: time(8)?,
            due_at: time(9)?,
            finished_at: time(10)?,
            stopped_at: time(11)?,
            withdrawn_at: time(12)?,
            rescheduled_at: time(13)?,
            delay_reason: text(14)?,
            delay_user_name: text(15)?,
            assignee_name: text(16)?,
            open_pause_since: time(17)?,
        })
    }
}

/// A time as either database writes it into JSON: RFC 3339 (SQLite's stored text, and
/// PostgreSQL's `timestamptz`), or with a space and no zone (UTC).
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let s = s.trim_end_matches('Z');
    ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.and_utc())
}

/// The characters a stated reason may hold without saying anything: a reason of only these
/// is no reason (the same test in SQL, [`stated_sql`], and in Rust, [`stated`]).
pub const BLANK: &str = " \t\r\n";

/// `text` with the [`BLANK`] characters around it removed; `None` if nothing is left.
pub fn stated(text: Option<String>) -> Option<String> {
    let text = text?;
    let t = text.trim_matches(|c| BLANK.contains(c));
    (!t.is_empty()).then(|| t.to_string())
}

/// SQL for "the text `expr` states something" (`rtrim` with a character set is the same
/// function in SQLite and PostgreSQL).
fn stated_sql(expr: &str) -> String {
    format!("length(rtrim(coalesce({expr}, ''), '{BLANK}')) > 0")
}

/// What the list needs of a task to judge it, sort it and count it ([`task_candidates`]);
/// the rest of the rows shown comes from [`task_details`].
#[derive(Debug, Clone, serde::Deserialize)]
pub struct TaskCandidate {
    pub id: i64,
    pub lead_agency_id: Option<i64>,
    /// The lead named in the directive's text, when no agency was identified.
    pub lead_text: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    /// A reason is stated: the last progress or completion report before the cut-off has a
    /// note, or the last extension request still waiting has a reason, or the completion
    /// was returned with a reason ([`OverdueTask::reason`]).
    #[serde(deserialize_with = "flag")]
    pub has_reason: bool,
}

/// The last progress or completion report of task `h` before the cut-off (the parameter
/// `cut`): its id, by a walk down the covering index `task_report_last_idx` (migration
/// 0014).
fn last_report(cut: &str) -> String {
    format!(
        "(select y.id from task_report y where y.task_id = h.id \
         and y.kind in ('progress', 'submit') and y.created_at < {cut} order by y.id desc limit 1)"
    )
}

/// The reason of the last extension request of task `h` still waiting for a decision.
const PENDING_EXTENSION: &str = "(select x.reason from task_extension x where x.task_id = h.id \
     and x.decision = 'pending' order by x.id desc limit 1)";

/// Tasks that may be overdue in `from..=cut_day` for the subtree at `scope_path` (`None`:
/// the province, including tasks whose lead agency is not identified): a deadline before
/// `cut_day`, and not submitted before `from`, read from the covering index
/// `task_overdue_idx` (migration 0014). Sorted by id. With `full_scan`, every task (the
/// reference `cchc bench indicators` compares with).
pub async fn task_candidates(
    db: &Db,
    scope_path: Option<&str>,
    from: NaiveDate,
    cut_day: NaiveDate,
    cut: DateTime<Utc>,
    full_scan: bool,
) -> Result<Vec<TaskCandidate>> {
    let pattern = scope_path.map(like_prefix);
    let (join, scope) = if pattern.is_some() {
        (
            "join agency la on la.id = h.lead_agency_id",
            "and la.path like $1 escape '\\'",
        )
    } else {
        ("", "and cast($1 as text) is null")
    };
    let cond = if full_scan {
        "cast($2 as text) is not null and cast($3 as text) is not null"
    } else {
        "h.deadline < $3 and (h.submitted_on is null or h.submitted_on >= $2)"
    };
    let has_reason = format!(
        "{} or {} or {}",
        stated_sql("h.return_reason"),
        stated_sql(PENDING_EXTENSION),
        stated_sql(&format!(
            "(select r.note from task_report r where r.id = {})",
            last_report("$4")
        )),
    );
    let rows = format!(
        "select h.id, h.lead_agency_id, h.lead_text, h.deadline, h.submitted_on, \
           case when {has_reason} then 1 else 0 end as has_reason \
         from task h {join} where {cond} {scope}"
    );
    const COLS: &str =
        "q.id, q.lead_agency_id, q.lead_text, q.deadline, q.submitted_on, q.has_reason";
    let args = [
        Arg::Text(pattern.clone()),
        Arg::Date(Some(from)),
        Arg::Date(Some(cut_day)),
        Arg::Time(Some(cut)),
    ];
    let text = json_rows(db, &rows, COLS, &args).await?;
    match text {
        Some(t) => serde_json::from_str(&t)
            .map_err(|e| StoreError::Invalid(format!("danh sách nhiệm vụ quá hạn: {e}"))),
        None => Ok(Vec::new()),
    }
}

/// One task of the list, with what its row shows ([`task_details`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OverdueTask {
    pub id: i64,
    pub item_ref: Option<String>,
    pub content: String,
    pub directive_id: i64,
    pub directive_number: String,
    pub directive_issued_on: NaiveDate,
    pub percent: i32,
    pub return_reason: Option<String>,
    /// The last progress or completion report before the cut-off: its note and author.
    pub report_note: Option<String>,
    pub report_user_name: Option<String>,
    /// The reason of the last extension request still waiting for a decision.
    pub extension_reason: Option<String>,
}

impl OverdueTask {
    /// The stated reason: the note of the last report, else the pending extension's reason,
    /// else the reason the completion was returned.
    pub fn reason(&self) -> Option<String> {
        stated(self.report_note.clone())
            .or(stated(self.extension_reason.clone()))
            .or(stated(self.return_reason.clone()))
    }
}

/// `1, 2, 3`: ids from our own rows, written into the statement's text (one statement
/// for both backends, no array binding; integers cannot inject).
fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The tasks `ids` with what the list shows about them, the reports as of `cut`. Only for
/// the rows a page or a file shows. Sorted by id.
pub async fn task_details(db: &Db, ids: &[i64], cut: DateTime<Utc>) -> Result<Vec<OverdueTask>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = id_list(chunk);
        let sql = format!(
            "select h.id, h.item_ref, h.content, h.directive_id, d.number as directive_number, \
               d.issued_on as directive_issued_on, h.percent, h.return_reason, \
               r.note as report_note, ru.full_name as report_user_name, \
               {PENDING_EXTENSION} as extension_reason \
             from task h join directive d on d.id = h.directive_id \
             left join task_report r on r.id = {last} \
             left join app_user ru on ru.id = r.user_id \
             where h.id in ({list}) order by h.id",
            last = last_report("$1")
        );
        let rows: Vec<OverdueTask> = on_db!(db, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(cut)
                .fetch_all(p)
                .await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// The steps of the dossiers `ids` as of `cut`: the step in progress and the last step
/// closed after its due time (from the control sheet in `dossier_event`). Only for the
/// rows a page or a file shows: each costs a look into that dossier's events.
pub async fn steps(db: &Db, ids: &[i64], cut: DateTime<Utc>) -> Result<Vec<OverdueSteps>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let list = id_list(chunk);
        let sql = format!(
            "select h.id, \
               (select e.step_name from dossier_event e where e.dossier_id = h.id and e.step_name is not null \
                  and e.at < $1 order by e.id desc limit 1) as current_step, \
               (select s.step_name from dossier_event s where s.dossier_id = h.id and s.step_name is not null \
                  and s.id < (select max(l.id) from dossier_event l where l.dossier_id = h.id \
                              and l.closed_step_due_at is not null and l.at > l.closed_step_due_at and l.at < $1) \
                  order by s.id desc limit 1) as late_step \
             from dossier h where h.id in ({list})"
        );
        let rows: Vec<OverdueSteps> = on_db!(db, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(cut)
                .fetch_all(p)
                .await?
        });
        out.extend(rows);
    }
    Ok(out)
}
