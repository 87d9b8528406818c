//! Generated directives, tasks, progress reports and completions (`cchc bench tasks`).

use chrono::{Duration, NaiveDate};

use super::Rng;
use crate::{BeginWrite, Db, Result, now, on_db};

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct TaskVolume {
    pub directives: usize,
    pub tasks: usize,
    pub reports: usize,
}

const BATCH: usize = 400;

/// Generates the volume over the given lead agencies. Returns the ids of the tasks.
pub async fn generate_tasks(db: &Db, agencies: &[i64], v: TaskVolume) -> Result<usize> {
    let mut rng = Rng(0x2023_0815_6794);
    let t = now();
    let base = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let mut directive_ids = Vec::with_capacity(v.directives);
    on_db!(db, |p| {
        let mut tx = p.begin_write().await?;
        for i in 0..v.directives {
            let issued = base + Duration::days(rng.below(1300) as i64);
            let (id,): (i64,) = sqlx::query_as(
                "insert into directive (number, doc_type, issuer, place, issued_on, subject, recipients_json, search_text, created_at, updated_at) \
                 values ($1, 'Kế hoạch', 'Ủy ban nhân dân tỉnh Nghệ An', 'Nghệ An', $2, $3, '[]', $4, $5, $5) returning id",
            )
            .bind(format!("{}/KH-UBND-BENCH", i + 1))
            .bind(issued)
            .bind(format!("Kế hoạch thử nghiệm số {}", i + 1))
            .bind(format!("ke hoach thu nghiem so {}", i + 1))
            .bind(t)
            .fetch_one(&mut *tx)
            .await?;
            directive_ids.push((id, issued));
        }
        tx.commit().await?;
    });
    let first_task: i64 = on_db!(db, |p| {
        let (m,): (Option<i64>,) = sqlx::query_as("select max(id) from task")
            .fetch_one(p)
            .await?;
        m.unwrap_or(0) + 1
    });
    // Tasks, in multi-row inserts.
    let mut rows = Vec::with_capacity(v.tasks);
    for _ in 0..v.tasks {
        let (did, issued) = directive_ids[rng.below(directive_ids.len() as u64) as usize];
        let lead = agencies[rng.below(agencies.len() as u64) as usize];
        let deadline = issued + Duration::days(15 + rng.below(200) as i64);
        let roll = rng.below(100);
        let submitted = (roll < 60).then(|| deadline + Duration::days(rng.below(30) as i64 - 20));
        let verified = roll < 50;
        rows.push((did, lead, deadline, submitted, verified));
    }
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "insert into task (directive_id, content, lead_agency_id, deadline, original_deadline, percent, submitted_on, verified, search_text, created_at, updated_at) values ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 6;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, 'Nhiệm vụ thử nghiệm', ${}, ${}, ${}, 50, ${}, ${}, 'nhiem vu thu nghiem', ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 6
            ));
        }
        on_db!(db, |p| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (did, lead, deadline, submitted, verified) in chunk {
                q = q
                    .bind(*did)
                    .bind(*lead)
                    .bind(*deadline)
                    .bind(*submitted)
                    .bind(*verified)
                    .bind(t);
            }
            q.execute(p).await?;
        });
    }
    // Progress reports.
    let n_tasks = rows.len() as u64;
    let mut reports = Vec::with_capacity(v.reports);
    for _ in 0..v.reports {
        let idx = rng.below(n_tasks) as usize;
        reports.push((
            first_task + idx as i64,
            rows[idx].1,
            (rng.below(10) * 10) as i32,
        ));
    }
    for chunk in reports.chunks(BATCH) {
        let mut sql = String::from(
            "insert into task_report (task_id, agency_id, kind, percent, note, created_at) values ",
        );
        for (i, _) in chunk.iter().enumerate() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${}, ${}, 'progress', ${}, 'Báo cáo tiến độ', ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4
            ));
        }
        on_db!(db, |p| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for (task, agency, percent) in chunk {
                q = q.bind(*task).bind(*agency).bind(*percent).bind(t);
            }
            q.execute(p).await?;
        });
    }
    on_db!(db, |p| {
        match db {
            Db::Sqlite(_) => sqlx::query("analyze").execute(p).await?,
            Db::Pg(_) => sqlx::query("analyze").execute(p).await?,
        };
    });
    Ok(rows.len())
}
