//! The TTHC catalog: the demo import of the real catalog, search without diacritics, the
//! public pages, writes limited to the catalog managers, and the internal-process rules.

use crate::helpers::*;

#[tokio::test]
async fn the_demo_catalog_is_the_real_one_with_processes_that_fit() {
    let app = spawn_app().await;
    assert_eq!(store::procedure::count(&app.db).await.unwrap(), 329);
    // 1.002755 Gia hạn tạm trú: 03 ngày làm việc, commune level.
    let p = store::procedure::for_intake_by_code(&app.db, "1.002755")
        .await
        .unwrap();
    assert_eq!(p.name, "Gia hạn tạm trú");
    assert_eq!(p.level, "xa");
    assert_eq!(p.limit, Some(domain::dossier::WorkingLimit::Days(3)));
    assert_eq!(p.steps.iter().map(|s| s.minutes).sum::<i64>(), 3 * 480);
    assert_eq!(p.steps[0].role, "mot_cua");
    // A province-level procedure of Sở Xây dựng is matched to the registry.
    let sxd = app.agency_id("SXD").await;
    let (items, _) = store::procedure::list(
        &app.db,
        &store::procedure::ProcedureFilter {
            q: Some("cap phep xay dung".into()),
            ..Default::default()
        },
        store::Page::new(Some(100), None),
    )
    .await
    .unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().any(|p| p.agency_id == Some(sxd)));
    let by_id = store::procedure::for_intake(&app.db, p.id).await.unwrap();
    assert_eq!(by_id.code, "1.002755");
}
