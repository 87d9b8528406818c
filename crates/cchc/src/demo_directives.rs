//! The seed's seven Nghệ An documents (August 2023) as directives with all the tasks they
//! assign, read by the directive reader, matched to the agency registry, with plausible
//! progress so that the demo shows the real picture of August–December 2023.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use domain::text::fold_vi;
use store::Db;
use store::agency::{Agency, AgencyFilter};
use store::audit::Actor;
use store::directive::DirectiveInput;
use store::task::{TaskEvent, TaskInput};

pub const SEED: &str = include_str!("../../../data/seeds/nghe-an-cchc-2023-08.txt");

/// Folded name with the usual abbreviations written out.
fn key(s: &str) -> String {
    let f = fold_vi(s);
    let f = f
        .replace("ubnd", "uy ban nhan dan")
        .replace("vp ", "van phong ");
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Matches an agency name as written in a directive to the registry valid on `day`.
/// Collective addressees fan out into their members (domain.md, rule 5): "Các Sở, ban,
/// ngành cấp tỉnh" → every provincial department, "UBND các huyện, thành phố, thị xã" →
/// every district. Returns an empty list when nothing matches.
pub fn match_agencies(text: &str, agencies: &[Agency], day: NaiveDate) -> Vec<i64> {
    let k = key(text);
    let valid = || agencies.iter().filter(move |a| a.valid_on(day));
    if k.contains("cac so")
        || k.contains("so, ban, nganh")
        || k.contains("so, nganh") && k.starts_with("cac")
    {
        return valid()
            .filter(|a| a.kind == "so_nganh")
            .map(|a| a.id)
            .collect();
    }
    if k.contains("cac huyen") || k.contains("huyen, thanh pho, thi xa") {
        return valid()
            .filter(|a| a.kind == "ubnd_huyen")
            .map(|a| a.id)
            .collect();
    }
    if let Some(a) = valid().find(|a| key(&a.name) == k || key(&a.short_name) == k) {
        return vec![a.id];
    }
    // "Sở Nội vụ tỉnh Nghệ An", "Văn phòng Ủy ban nhân dân tỉnh (Cổng …)": the longest
    // registry name contained in the text.
    valid()
        .filter(|a| {
            let n = key(&a.short_name);
            n.len() >= 6 && k.contains(&n) || k.contains(&key(&a.name))
        })
        .max_by_key(|a| a.short_name.len())
        .map(|a| vec![a.id])
        .unwrap_or_default()
}

fn stable_hash(n: i64) -> u64 {
    let mut x = n as u64 ^ 0x9E37_79B9_7F4A_7C15;
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Loads the seed's directives and tasks. Returns (directives, tasks).
pub async fn load(db: &Db) -> anyhow::Result<(usize, usize)> {
    let actor = Actor::system("demo");
    let (agencies, _) =
        store::agency::list(db, &AgencyFilter::default(), store::Page::all()).await?;
    let docs = docparse::parse(SEED);
    let bundle: Vec<String> = docs.iter().filter_map(|d| d.number.clone()).collect();
    let verifier = store::user::get_by_username(db, "sonoivu").await.ok();
    let verifier_actor = Actor {
        user_id: verifier.as_ref().map(|u| u.id),
        username: Some("sonoivu".into()),
        ip: None,
    };
    let mut n_tasks = 0;
    for (i, doc) in docs.iter().enumerate() {
        let (Some(number), Some(date)) = (doc.number.clone(), doc.date.as_deref()) else {
            continue;
        };
        let issued_on = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .with_context(|| format!("{number}: ngày"))?;
        let subject = doc.subject.clone().unwrap_or_default();
        let citations = doc
            .cited_documents
            .iter()
            .map(|c| {
                let rel = if i == 0 && bundle.contains(c) {
                    if subject.contains(c.split('/').next().unwrap_or("#")) {
                        "implements"
                    } else {
                        "encloses"
                    }
                } else {
                    "cites"
                };
                (c.clone(), rel.to_string())
            })
            .collect();
        let signer = doc.signer.clone().unwrap_or_default();
        let d = store::directive::create(
            db,
            &DirectiveInput {
                number: number.clone(),
                doc_type: doc.doc_type.clone().unwrap_or_else(|| "Công văn".into()),
                issuer: doc.issuer.clone().unwrap_or_default(),
                place: doc.place.clone(),
                issued_on,
                subject,
                signer_name: signer.name,
                signer_title: signer.title,
                signer_authority: signer.authority,
                recipients: doc.recipients.clone(),
                citations,
            },
            &actor,
        )
        .await?;
        for t in &doc.tasks {
            let support: Vec<i64> = t
                .support
                .iter()
                .flat_map(|s| match_agencies(s, &agencies, issued_on))
                .collect();
            let deadline = t
                .deadline
                .as_deref()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
            // One task per lead agency; a lead the registry does not know is kept as text.
            let mut leads: Vec<(Option<i64>, Option<String>)> = Vec::new();
            for l in &t.lead {
                let ids = match_agencies(l, &agencies, issued_on);
                if ids.is_empty() {
                    leads.push((None, Some(l.clone())));
                } else {
                    leads.extend(ids.into_iter().map(|id| (Some(id), None)));
                }
            }
            if leads.is_empty() {
                leads.push((None, None));
            }
            for (lead, lead_text) in leads {
                let task = store::task::create(
                    db,
                    &TaskInput {
                        directive_id: d.id,
                        parent_id: None,
                        item_ref: t.source.clone(),
                        content: t.content.clone(),
                        lead_agency_id: lead,
                        lead_text,
                        support_agency_ids: support
                            .iter()
                            .copied()
                            .filter(|s| Some(*s) != lead)
                            .collect(),
                        deadline,
                        deadline_text: t.deadline_text.clone(),
                        recurrence: t.recurrence.clone(),
                    },
                    &actor,
                )
                .await?;
                n_tasks += 1;
                if let Some(lead) = lead {
                    progress(db, &task, lead, &verifier_actor).await?;
                }
            }
        }
    }
    // The periodic reports the documents ask for ("trước ngày 18 hàng tháng"…), one per
    // period up to today, with a history like the seed's: most on time, some late, some
    // never sent.
    let calendar = app::calendar::CalendarCache::new().map_err(|e| anyhow::anyhow!("{e}"))?;
    calendar
        .init(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let cal = calendar.get(db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = domain::time::today();
    let occurrences = app::jobs::generate_occurrences(db, &cal, today)
        .await
        .context("occurrences")?;
    let f = store::task::TaskFilter {
        today: Some(today),
        ..Default::default()
    };
    let (all, _) = store::task::list(db, &f, store::Page::all())
        .await
        .context("list")?;
    for t in all.iter().filter(|t| t.period.is_some()) {
        if let (Some(lead), Some(deadline)) = (t.lead_agency_id, t.deadline) {
            occurrence_history(db, t, lead, deadline, today, &verifier_actor).await?;
        }
    }
    Ok((docs.len(), n_tasks + occurrences))
}

/// A periodic report: sent a few days before the due date (70%), late (15%) or not at all.
async fn occurrence_history(
    db: &Db,
    task: &store::task::Task,
    lead: i64,
    deadline: NaiveDate,
    today: NaiveDate,
    verifier: &Actor,
) -> anyhow::Result<()> {
    let h = stable_hash(task.id) % 100;
    let sent = if h < 70 {
        deadline - chrono::Duration::days((h % 4) as i64)
    } else if h < 85 {
        deadline + chrono::Duration::days(1 + (h % 5) as i64)
    } else {
        return Ok(());
    };
    if sent > today {
        return Ok(());
    }
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(3, 0, 0).unwrap_or_default());
    let unit = Actor::system("demo");
    store::task::record_at(
        db,
        task.id,
        lead,
        &TaskEvent::Submit {
            note: "Gửi báo cáo định kỳ.".into(),
        },
        &unit,
        at(sent),
    )
    .await?;
    store::task::record_at(
        db,
        task.id,
        lead,
        &TaskEvent::Accept {
            note: String::new(),
        },
        verifier,
        at(sent + chrono::Duration::days(1)),
    )
    .await?;
    Ok(())
}

/// Plausible history: most dated tasks done (some late, some awaiting verification), a
/// fifth never reported; ongoing tasks with progress reports.
async fn progress(
    db: &Db,
    task: &store::task::Task,
    lead: i64,
    verifier: &Actor,
) -> anyhow::Result<()> {
    let h = stable_hash(task.id);
    let unit = Actor::system("demo");
    let at = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(2, 30, 0).unwrap_or_default());
    let start = NaiveDate::from_ymd_opt(2023, 8, 20).unwrap_or_default();
    match task.deadline {
        Some(deadline) => {
            let roll = h % 100;
            if roll < 20 {
                return Ok(());
            }
            let first = start.max(deadline - chrono::Duration::days(20));
            store::task::record_at(
                db,
                task.id,
                lead,
                &TaskEvent::Progress {
                    percent: 50,
                    note: "Đã xây dựng kế hoạch, phân công thực hiện.".into(),
                },
                &unit,
                at(first),
            )
            .await?;
            let submitted = if roll < 35 {
                deadline + chrono::Duration::days(3 + (h % 20) as i64)
            } else {
                deadline - chrono::Duration::days((h % 6) as i64)
            };
            store::task::record_at(
                db,
                task.id,
                lead,
                &TaskEvent::Submit {
                    note: "Đã hoàn thành, gửi kèm báo cáo kết quả.".into(),
                },
                &unit,
                at(submitted),
            )
            .await?;
            if roll >= 45 {
                store::task::record_at(
                    db,
                    task.id,
                    lead,
                    &TaskEvent::Accept {
                        note: "Đạt yêu cầu.".into(),
                    },
                    verifier,
                    at(submitted + chrono::Duration::days(2)),
                )
                .await?;
            }
        }
        None => {
            let percent = 20 + (h % 7) as i32 * 10;
            let mut day = start;
            let months: HashMap<u64, i32> = HashMap::from([(0, 1), (1, 2), (2, 3)]);
            for _ in 0..*months.get(&(h % 3)).unwrap_or(&1) {
                day += chrono::Duration::days(30);
                store::task::record_at(
                    db,
                    task.id,
                    lead,
                    &TaskEvent::Progress {
                        percent,
                        note: "Báo cáo định kỳ tình hình thực hiện.".into(),
                    },
                    &unit,
                    at(day),
                )
                .await?;
            }
        }
    }
    Ok(())
}
