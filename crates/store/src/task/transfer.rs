//! The move of open tasks from agencies dissolved by a merger to their successor in
//! force, as leads or supporting agencies, each move audited.

use crate::BeginWrite;
use chrono::NaiveDate;
use serde::Serialize;

use crate::audit::{Actor, AuditEntry};
use crate::{Db, Result, now, on_db};

/// One open task moved from a dissolved agency to its successor.
#[derive(Debug, Clone, Serialize)]
pub struct Transfer {
    pub task_id: i64,
    pub from: String,
    pub to: String,
    pub role: &'static str,
}

/// A recurring obligation itself (not one of its occurrences): it is a template, each
/// period's occurrence goes to the agency holding the duty on its due date.
const RECURRING_TEMPLATE: &str =
    "(t.parent_id is null and t.recurrence is not null and t.recurrence <> 'continuous')";

/// Moves the open tasks (not yet verified done) of every agency that no longer exists on
/// `today` and was merged into another one to that successor (following a chain of
/// mergers to the agency in force). Leads keep their first former lead in
/// `transferred_from_id`; supporting agencies are replaced. Each move is audited. Agencies
/// dissolved without a successor keep their tasks, which then show on the overdue list for
/// the assigning office to reassign by hand.
///
/// Legal ground: a merger transfers the functions and duties of the merged body to the
/// receiving one (Nghị định 158/2018/NĐ-CP on establishing, reorganising and dissolving
/// administrative bodies — the article is [TV]; for the 2024–2025 Nghệ An mergers, the
/// resolution recorded as each agency's legal basis).
pub async fn transfer_dissolved(db: &Db, today: NaiveDate, actor: &Actor) -> Result<Vec<Transfer>> {
    type Row = (i64, String, Option<NaiveDate>, Option<i64>);
    let agencies: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as("select id, name, valid_to, merged_into_id from agency")
            .fetch_all(p)
            .await?
    });
    let by_id: std::collections::HashMap<i64, &Row> = agencies.iter().map(|a| (a.0, a)).collect();
    let ended = |a: &Row| a.2.is_some_and(|to| to < today);
    // Dissolved agency -> successor in force today.
    let mut successor: Vec<(i64, i64)> = Vec::new();
    for a in agencies.iter().filter(|a| ended(a) && a.3.is_some()) {
        let mut cur = a.3.and_then(|id| by_id.get(&id)).copied();
        let mut hops = 0;
        while let Some(c) = cur {
            if !ended(c) {
                break;
            }
            hops += 1;
            cur = if hops > 16 {
                None
            } else {
                c.3.and_then(|id| by_id.get(&id)).copied()
            };
        }
        if let Some(c) = cur {
            successor.push((a.0, c.0));
        }
    }
    let mut out = Vec::new();
    let at = now();
    for (from, to) in successor {
        let from_name = by_id[&from].1.clone();
        let to_name = by_id[&to].1.clone();
        on_db!(db, |p| {
            let mut tx = p.begin_write().await?;
            let leads: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select t.id from task t where t.lead_agency_id = $1 and t.verified = false and not {RECURRING_TEMPLATE} order by t.id"
            )))
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
            for id in &leads {
                sqlx::query(
                    "update task set lead_agency_id = $1, transferred_from_id = coalesce(transferred_from_id, $2), \
                     updated_at = $3 where id = $4",
                )
                .bind(to)
                .bind(from)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                // The successor cannot also support its own task.
                sqlx::query("delete from task_support where task_id = $1 and agency_id = $2")
                    .bind(id)
                    .bind(to)
                    .execute(&mut *tx)
                    .await?;
                let entry = AuditEntry::new(actor, "transfer", "task", *id,
                    format!("Chuyển nhiệm vụ #{id} (chủ trì) từ {from_name} sang {to_name} do sáp nhập, giải thể"))
                    .before(&serde_json::json!({"lead_agency_id": from}))
                    .after(&serde_json::json!({"lead_agency_id": to}));
                crate::insert_audit!(&mut *tx, entry);
                out.push(Transfer {
                    task_id: *id,
                    from: from_name.clone(),
                    to: to_name.clone(),
                    role: "chủ trì",
                });
            }
            let supports: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "select s.task_id from task_support s join task t on t.id = s.task_id \
                 where s.agency_id = $1 and t.verified = false and not {RECURRING_TEMPLATE} order by s.task_id"
            )))
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
            for id in &supports {
                sqlx::query("delete from task_support where task_id = $1 and agency_id = $2")
                    .bind(id)
                    .bind(from)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "insert into task_support (task_id, agency_id) select $1, $2 \
                     where not exists (select 1 from task_support where task_id = $1 and agency_id = $2) \
                     and not exists (select 1 from task where id = $1 and lead_agency_id = $2)",
                )
                .bind(id)
                .bind(to)
                .execute(&mut *tx)
                .await?;
                let entry = AuditEntry::new(actor, "transfer", "task", *id,
                    format!("Chuyển nhiệm vụ #{id} (phối hợp) từ {from_name} sang {to_name} do sáp nhập, giải thể"))
                    .before(&serde_json::json!({"support_agency_id": from}))
                    .after(&serde_json::json!({"support_agency_id": to}));
                crate::insert_audit!(&mut *tx, entry);
                out.push(Transfer {
                    task_id: *id,
                    from: from_name.clone(),
                    to: to_name.clone(),
                    role: "phối hợp",
                });
            }
            tx.commit().await?;
        });
    }
    Ok(out)
}
