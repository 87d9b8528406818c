//! What a unit did in a period, as plain counts, and the one implementation of every ratio
//! the 766 scorecard and the seed's KPIs use.
//!
//! **Period rules** (domain.md §6, §7; VPCP "Mô tả công thức tính chỉ số 766"): the
//! period is any [`crate::calendar::Period`] in either [`crate::calendar::PeriodMode`]; the
//! caller counts with its start and end. "By reception" = NgayTiepNhan within the period;
//! "by end" = the 766 end ([`crate::dossier::timing::DossierTimes::end`]) within the period;
//! "at period end" = a stock or state on the period's last day. A province counts itself and
//! all its children, a commune only itself (domain.md §6) — also the caller's job.

use crate::dossier::timing::Timeliness;
use serde::{Deserialize, Serialize};

/// Counts for one unit and one period. Every field defaults to 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitPeriodFacts {
    // --- Dossiers by reception date ---
    /// Hồ sơ tiếp nhận — dossiers received in the period (by reception; refused-at-intake
    /// dossiers, status 3, are not received).
    pub dossiers_received: u64,
    /// The dossier count the national reporting system or Cổng DVCQG holds for the unit and
    /// period, whichever is larger; or, when neither has data, last year's count ÷ 12
    /// (month) or ÷ 4 (quarter). 766 indicator 1.4 divides by the larger of this and
    /// `dossiers_received`. `None` = only our own count is known.
    pub dossiers_counted_elsewhere: Option<u64>,
    /// Received dossiers synced to Cổng DVCQG (by reception; 766 1.4).
    pub synced_dossiers: u64,
    /// Received dossiers submitted online (KenhThucHien = 2) — for a TTHC whose result is a
    /// paper document, only those that also got an electronic result (766 3.3).
    pub online_dossiers: u64,
    /// Received dossiers of TTHC eligible for full-online service (toàn trình) (portal
    /// table row 6).
    pub full_online_eligible_dossiers: u64,
    /// Of those, dossiers handled full-online.
    pub full_online_dossiers: u64,
    /// Received dossiers whose components were digitised **and** that got an electronic
    /// result where the TTHC requires a documentary result (766 4.2).
    pub digitised_dossiers: u64,
    /// Received dossiers with ≥ 1 component reusing digitised data or e-documents (766 4.3).
    pub reused_data_dossiers: u64,
    /// Received dossiers with ≥ 1 file from the citizen's data store on Cổng DVCQG, or
    /// whose e-result was synced to it (766 4.4).
    pub personal_store_dossiers: u64,
    /// Received dossiers using the national population database (VNeID authentication,
    /// CSDL dân cư code) (766 4.5b).
    pub citizen_data_dossiers: u64,
    /// Received dossiers of TTHC with a fee or charge in CSDL TTHC, zero-fee dossiers
    /// excluded (766 3.6 denominator).
    pub payable_dossiers: u64,
    /// Of those, paid online (DuocThanhToanTrucTuyen 1 = Cổng DVCQG or 2 = provincial
    /// gateway) (766 3.6).
    pub paid_online: u64,

    // --- Dossiers by end date, and unfinished at period end (766 indicator 2.1) ---
    /// Dossiers whose 766 end falls in the period, classified by
    /// [`crate::dossier::timing::classify_766`] as early (trước hạn).
    pub finished_early: u64,
    /// … as on time (đúng hạn, not early).
    pub finished_on_time: u64,
    /// … as late (quá hạn; more than one supplementation request counts here).
    pub finished_late: u64,
    /// Dossiers received by the period end (carried-over ones included) and not ended by
    /// it, still within their deadline: `classify_766` with the period end as their end
    /// gives `InProgressOnTime`.
    pub unfinished_on_time_at_period_end: u64,
    /// … already past their deadline at the period end (`InProgressLate`): they count as
    /// late (domain.md §5: "Unfinished dossiers use the end of the period").
    pub unfinished_overdue_at_period_end: u64,
    /// Processed dossiers (the five counts above) that are not late but got a dislike or a
    /// PAKN; a late dossier with a dislike is counted once, as late (766 5.4).
    pub dossiers_dissatisfied_not_late: u64,
    /// Σ working days taken by the dossiers finished in the period (766 2.2, monitoring).
    pub finished_working_days_total: u64,
    /// Dossiers finished in the period of TTHC whose result is a document (766 4.1
    /// denominator; by end, since a result exists only then [TV]).
    pub dossiers_needing_result_document: u64,
    /// Of those, with an electronic result file attached (766 4.1).
    pub e_results: u64,

    // --- Procedures (TTHC) ---
    /// TTHC whose announcement (QĐ công bố) was due in the period; one TTHC in several
    /// decisions counts once (766 1.1).
    pub procedures_published: u64,
    /// Of those, announced on time (≥ 5 working days before their legal basis takes effect
    /// for a province, 20 for a ministry); one late announcement makes the TTHC late.
    pub procedures_published_on_time: u64,
    /// TTHC that had to be updated and made public on CSDL TTHC in the period (766 1.2).
    pub procedures_disclosed: u64,
    /// Of those, public ≤ 5 working days after the QĐ công bố (10 for a ministry).
    pub procedures_disclosed_on_time: u64,
    /// TTHC public on CSDL TTHC at the period end (766 1.3).
    pub procedures_public: u64,
    /// Of those, with every component of NĐ 63/2010 Điều 8 k2 public.
    pub procedures_public_complete: u64,
    /// TTHC in the unit's remit at the period end (766 3.1).
    pub procedures_total: u64,
    /// Of those, offered as full-online DVCTT (toàn trình) — the highest level counts.
    pub procedures_online_full: u64,
    /// Of those, offered as partial DVCTT (một phần) and not full-online.
    pub procedures_online_partial: u64,
    /// Online public services (DVC per applying unit) at the period end (766 3.2).
    pub online_services_total: u64,
    /// Of those, with ≥ 1 online dossier received in the period.
    pub online_services_with_dossiers: u64,
    /// TTHC with fee information in CSDL TTHC (766 3.5, 3.5b).
    pub fee_procedures: u64,
    /// Of those, with dossiers syncing non-zero fee data (payment integrated) (766 3.5).
    pub fee_procedures_integrated: u64,
    /// Of those, with ≥ 1 successful online payment in the period (766 3.5b).
    pub fee_procedures_paid_online: u64,
    /// TTHC for citizens (đối tượng là người dân) (766 4.5a).
    pub citizen_procedures: u64,
    /// Of those, connected to the population database.
    pub citizen_procedures_connected: u64,
    /// Communes under the unit (a commune: itself) (portal "chứng thực bản sao điện tử").
    pub communes_total: u64,
    /// Of those, offering electronic certified copies from originals.
    pub communes_e_certified_copy: u64,

    // --- Feedback (PAKN), by first reception date ---
    /// PAKN in the unit's remit received in the period (766 5.1–5.3).
    pub feedback_received: u64,
    /// Of those, about regulations, policies, procedures (766 5.1 (a)).
    pub feedback_about_regulations: u64,
    /// Of those, about officials' conduct (766 5.1 (b)).
    pub feedback_about_staff: u64,
    /// Handled by the deadline (15 working days; rejection 2, supplementation 5) (766 5.2).
    pub feedback_answered_on_time: u64,
    /// Still being handled within the deadline at the period end (766 5.2 numerator too).
    pub feedback_pending_within_deadline: u64,
    /// With more dislikes than likes, complained about again, or handled late — each PAKN
    /// once (766 5.3).
    pub feedback_unsatisfactory: u64,

    // --- Ratings on Cổng DVCQG (domain.md §5 "Evaluation of service") ---
    /// Ratings given in the period that are positive (likes).
    pub ratings_positive: u64,
    /// All ratings given in the period.
    pub ratings_total: u64,

    // --- Tasks (DIR) ---
    /// Tasks due in the period (seed 5768: "23/41 nhiệm vụ").
    pub tasks_assigned: u64,
    /// Of those, completed and verified.
    pub tasks_done: u64,
    /// Of those, completed by their deadline (seed 6486 fn 1).
    pub tasks_done_on_time: u64,
}

impl UnitPeriodFacts {
    /// Count one dossier of the 766 2.1 population by its verdict from
    /// [`crate::dossier::timing::classify_766`] at the period end: finished ones by end
    /// date, unfinished ones as in progress within or past their deadline.
    pub fn count_dossier(&mut self, verdict: Timeliness) {
        let slot = match verdict {
            Timeliness::Early => &mut self.finished_early,
            Timeliness::OnTime => &mut self.finished_on_time,
            Timeliness::Late => &mut self.finished_late,
            Timeliness::InProgressOnTime => &mut self.unfinished_on_time_at_period_end,
            Timeliness::InProgressLate => &mut self.unfinished_overdue_at_period_end,
        };
        *slot += 1;
    }

    /// Hồ sơ đã xử lý xong in the period (by end).
    pub fn dossiers_finished(&self) -> u64 {
        self.finished_early + self.finished_on_time + self.finished_late
    }

    /// "Tổng số hồ sơ tiếp nhận và xử lý trong kỳ" (766 2.1, 5.4): finished in the period
    /// plus unfinished at its end.
    pub fn dossiers_processed(&self) -> u64 {
        self.dossiers_finished()
            + self.unfinished_on_time_at_period_end
            + self.unfinished_overdue_at_period_end
    }

    /// Early, on time, or still in progress within the deadline (766 2.1 numerator).
    pub fn dossiers_on_time(&self) -> u64 {
        self.finished_early + self.finished_on_time + self.unfinished_on_time_at_period_end
    }

    /// Finished late or overdue at the period end.
    pub fn dossiers_late(&self) -> u64 {
        self.finished_late + self.unfinished_overdue_at_period_end
    }
}

/// What the value of a measure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// numerator / denominator × multiplier × 100.
    Percent,
    /// numerator / denominator (766 2.2: working days per dossier).
    AverageWorkingDays,
}

/// A ratio of two counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measure {
    pub numerator: u64,
    pub denominator: u64,
    /// A factor on the ratio (766 3.3: the sync rate of 1.4); `None` = 1.
    pub multiplier: Option<f64>,
    pub kind: ValueKind,
}

impl Measure {
    fn percent(numerator: u64, denominator: u64) -> Measure {
        Measure {
            numerator,
            denominator,
            multiplier: None,
            kind: ValueKind::Percent,
        }
    }

    /// The exact value (unrounded); `None` when the denominator is 0.
    pub fn value(&self) -> Option<f64> {
        if self.denominator == 0 {
            return None;
        }
        let ratio = self.numerator as f64 / self.denominator as f64;
        Some(match self.kind {
            ValueKind::Percent => ratio * self.multiplier.unwrap_or(1.0) * 100.0,
            ValueKind::AverageWorkingDays => ratio,
        })
    }
}

/// The measure behind a 766 indicator code; `None` for a code without a formula here.
pub fn measure(code: &str, f: &UnitPeriodFacts) -> Option<Measure> {
    Some(match code {
        "1.1" => published_on_time(f),
        "1.2" => disclosed_on_time(f),
        "1.3" => disclosed_in_full(f),
        "1.4" => synchronisation(f),
        "2.1" => on_time(f),
        "2.2" => average_working_days(f),
        "3.1" => procedures_online(f),
        "3.2" => online_services_used(f),
        "3.3" => online_share_synced(f),
        "3.TT" => full_online_share(f),
        "3.5" => payment_integrated(f),
        "3.5b" => payment_used(f),
        "3.6" => online_payment(f),
        "4.1" => e_results(f),
        "4.2" => digitisation(f),
        "4.3" => data_reuse(f),
        "4.4" => personal_store(f),
        "4.5a" => citizen_data_procedures(f),
        "4.5b" => citizen_data_dossiers(f),
        "4.x" => e_certified_copy(f),
        "5.1" => feedback_classified(f),
        "5.2" => feedback_on_time(f),
        "5.3" => feedback_satisfaction(f),
        "5.4" => dossier_satisfaction(f),
        _ => return None,
    })
}

/// 766 indicator 1.1 (portal PUBLISH_ON_TIME): TTHC announced on time / TTHC whose
/// announcement was due. Max 6, confidence portal. Also the seed's "TTHC công bố đúng hạn"
/// (304 fn 1: "Chỉ đạt 1,4%").
pub fn published_on_time(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.procedures_published_on_time, f.procedures_published)
}

/// 766 indicator 1.2 (PUBLIC_UPDATE_ON_TIME): TTHC public on CSDL TTHC on time / TTHC to
/// make public. Max 4, confirmed.
pub fn disclosed_on_time(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.procedures_disclosed_on_time, f.procedures_disclosed)
}

/// 766 indicator 1.3 (PUBLIC_CONTENT_FULL): TTHC with every NĐ 63/2010 Điều 8 k2 component
/// public / TTHC public. Max 2, portal.
pub fn disclosed_in_full(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.procedures_public_complete, f.procedures_public)
}

/// 766 indicator 1.4 (DOSSIER_SYNC): synced dossiers / max(received, count held
/// elsewhere). Max 6, portal. Also the seed's sync rate (6486 fn 4: "chỉ đạt tỷ lệ 60%").
pub fn synchronisation(f: &UnitPeriodFacts) -> Measure {
    let base = f
        .dossiers_counted_elsewhere
        .map_or(f.dossiers_received, |c| c.max(f.dossiers_received));
    Measure::percent(f.synced_dossiers, base)
}

/// 766 indicator 2.1: (early + on time + in progress within deadline) / processed in the
/// period; unfinished overdue dossiers are late (domain.md §5). Max 20, confirmed; points
/// = 20 × ratio (reverse-engineered, portal).
pub fn on_time(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.dossiers_on_time(), f.dossiers_processed())
}

/// Early share: finished early / processed (TT 01/2018 Điều 13 "trước hạn"; domain.md §5).
/// A KPI only.
pub fn early(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.finished_early, f.dossiers_processed())
}

/// Late share: (finished late + overdue at period end) / processed (domain.md §5). A KPI
/// only; 2.1 and this add up to 100%.
pub fn late(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.dossiers_late(), f.dossiers_processed())
}

/// 766 indicator 2.2: working days taken / dossiers finished — monitoring, no points
/// (maximum unknown in the yaml).
pub fn average_working_days(f: &UnitPeriodFacts) -> Measure {
    Measure {
        kind: ValueKind::AverageWorkingDays,
        ..Measure::percent(f.finished_working_days_total, f.dossiers_finished())
    }
}

/// 766 indicator 3.1: TTHC with DVCTT (full or partial, highest level) / TTHC in the remit.
/// Full points at 80% (formula document); maximum unknown.
pub fn procedures_online(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(
        f.procedures_online_full + f.procedures_online_partial,
        f.procedures_total,
    )
}

/// 766 indicator 3.2: DVCTT with ≥ 1 online dossier / DVCTT. Maximum and threshold unknown.
pub fn online_services_used(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.online_services_with_dossiers, f.online_services_total)
}

/// 766 indicator 3.3: online dossiers / received × sync rate (1.4). Full points at 50%;
/// maximum unknown. domain.md §6: "40% online × 0.60 = 24%".
pub fn online_share_synced(f: &UnitPeriodFacts) -> Measure {
    Measure {
        multiplier: synchronisation(f).value().map(|v| v / 100.0),
        ..online_share(f)
    }
}

/// The seed's online rate (5768, 574 II.3: "tăng tỷ lệ nộp hồ sơ … qua dịch vụ công trực
/// tuyến"): online dossiers / received, without the sync factor of 3.3. A KPI only.
pub fn online_share(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.online_dossiers, f.dossiers_received)
}

/// Portal table row 6: full-online dossiers / dossiers of TTHC eligible for full-online
/// service (seed 6219: "TTHC đủ điều kiện cung cấp Dịch vụ công trực tuyến toàn trình").
/// Scored as "3.TT" with the row's 12 points (`scoring-766.toml` `[[portal_indicator]]`).
pub fn full_online_share(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.full_online_dossiers, f.full_online_eligible_dossiers)
}

/// 766 indicator 3.5: fee-bearing TTHC with payment integrated / fee-bearing TTHC. Max 2,
/// full at 80% (portal, unverified).
pub fn payment_integrated(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.fee_procedures_integrated, f.fee_procedures)
}

/// 766 "3.5b" (portal): fee-bearing TTHC with an online payment / fee-bearing TTHC. Max 2,
/// min(2; 2.5 × B) = full at 80% (reverse-engineered).
pub fn payment_used(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.fee_procedures_paid_online, f.fee_procedures)
}

/// 766 indicator 3.6: dossiers paid online / dossiers of fee-bearing TTHC (zero fees
/// excluded). Max 6 (portal, unverified). The seed's "online payment" KPI.
pub fn online_payment(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.paid_online, f.payable_dossiers)
}

/// 766 indicator 4.1 (ORIGINAL_RESULT_AVAILABLE): dossiers with an e-result file / dossiers
/// needing a documentary result. Max 6, portal. The seed's "electronic results" KPI.
pub fn e_results(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.e_results, f.dossiers_needing_result_document)
}

/// 766 indicator 4.2 (SO_HOA_GIAY_TO_GIAI_QUYET): digitised dossiers / received. Max 4,
/// portal; full at 80% (formula document; the portal fit may be linear to 100% [TV]). The
/// seed's digitisation rate (6486 fn 3: "Con Cuông (18%)").
pub fn digitisation(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.digitised_dossiers, f.dossiers_received)
}

/// 766 indicator 4.3 (REUSED_DIGITIZED_DATA): dossiers reusing digitised data / received.
/// Max 2, portal; full at 80%.
pub fn data_reuse(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.reused_data_dossiers, f.dossiers_received)
}

/// 766 indicator 4.4 (SYNCED_WITH_DVCQG_PERSONAL_STORAGE): dossiers linked to the citizen's
/// data store / received. Max 4, portal; no threshold known.
pub fn personal_store(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.personal_store_dossiers, f.dossiers_received)
}

/// 766 indicator 4.5a (CITIZEN_DATA_CONNECTED_FORMALITY): citizen TTHC connected to the
/// population database / citizen TTHC. Max 2, portal; province scope.
pub fn citizen_data_procedures(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.citizen_procedures_connected, f.citizen_procedures)
}

/// 766 indicator 4.5b (CITIZEN_DATA_CONNECTED_DOSSIER): dossiers using population data /
/// received. Max 2, portal; province scope.
pub fn citizen_data_dossiers(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.citizen_data_dossiers, f.dossiers_received)
}

/// Portal "4.x" (ELECTRONIC_CERTIFIED_COPY): communes offering e-certified copies /
/// communes. Max 2, portal; not in the 2022 formula document.
pub fn e_certified_copy(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.communes_e_certified_copy, f.communes_total)
}

/// 766 indicator 5.1: PAKN classified (regulations + conduct) / PAKN. Monitoring, max 0
/// (portal).
pub fn feedback_classified(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(
        f.feedback_about_regulations + f.feedback_about_staff,
        f.feedback_received,
    )
}

/// 766 indicator 5.2 (PETITION_PROCESSING_ON_TIME): (handled on time + pending within the
/// deadline) / PAKN received. Max 6, portal; full points with no PAKN (reverse-engineered).
/// The seed's "feedback answered on time" KPI (6486: "xử lý triệt để, dứt điểm").
pub fn feedback_on_time(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(
        f.feedback_answered_on_time + f.feedback_pending_within_deadline,
        f.feedback_received,
    )
}

/// 766 indicator 5.3 (PETITION_HANDLING_SATISFACTION): (PAKN − dissatisfied, re-complained
/// or late) / PAKN (domain.md §10). Max 6, portal; full points with no PAKN.
pub fn feedback_satisfaction(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(
        f.feedback_received
            .saturating_sub(f.feedback_unsatisfactory),
        f.feedback_received,
    )
}

/// 766 indicator 5.4 (DOSSIER_RECEIVING_SATISFACTION): (processed − late − disliked or
/// complained about) / processed = 100% − (late rate + dissatisfaction rate). Max 6,
/// confirmed; full points at 90% (formula document, portal fit).
pub fn dossier_satisfaction(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(
        f.dossiers_on_time()
            .saturating_sub(f.dossiers_dissatisfied_not_late),
        f.dossiers_processed(),
    )
}

/// Likes / ratings on Cổng DVCQG (domain.md §5 "Evaluation of service", §10). The seed's
/// satisfaction KPI; distinct from 766 5.4, which also counts late dossiers.
pub fn ratings(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.ratings_positive, f.ratings_total)
}

/// Tasks done / tasks assigned (seed 5768: "23/41 nhiệm vụ … đạt tỷ lệ 56%"); the value is
/// the same as [`crate::task::completion_rate`] gives (tested).
pub fn task_completion(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.tasks_done, f.tasks_assigned)
}

/// Tasks done by their deadline / tasks assigned (seed 6486 fn 1: "Đến hạn ngày
/// 15/7/2023, chỉ có 5 Sở, địa phương thực hiện").
pub fn task_on_time(f: &UnitPeriodFacts) -> Measure {
    Measure::percent(f.tasks_done_on_time, f.tasks_assigned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_denominators_give_no_value() {
        let f = UnitPeriodFacts::default();
        for code in ["1.1", "1.4", "2.1", "2.2", "3.3", "4.2", "5.2", "5.4"] {
            let m = measure(code, &f).expect("formula exists");
            assert_eq!(m.value(), None, "{code}");
        }
        assert_eq!(measure("9.9", &f), None);
    }

    #[test]
    fn sync_uses_the_larger_count_and_drags_the_online_share() {
        // domain.md §6 illustration: 40% online × 0.60 sync = 24%.
        let f = UnitPeriodFacts {
            dossiers_received: 100,
            online_dossiers: 40,
            synced_dossiers: 60,
            ..Default::default()
        };
        assert_eq!(synchronisation(&f).value(), Some(60.0));
        let v = online_share_synced(&f).value().unwrap_or_default();
        assert!((v - 24.0).abs() < 1e-9, "{v}");
        assert_eq!(online_share(&f).value(), Some(40.0));
        // The portal counts 120 dossiers: 60 / 120 = 50%.
        let f = UnitPeriodFacts {
            dossiers_counted_elsewhere: Some(120),
            ..f
        };
        assert_eq!(synchronisation(&f).value(), Some(50.0));
        // A smaller external count does not shrink the denominator.
        let f = UnitPeriodFacts {
            dossiers_counted_elsewhere: Some(80),
            ..f
        };
        assert_eq!(synchronisation(&f).value(), Some(60.0));
    }

    #[test]
    fn dossiers_open_at_period_end_are_judged_at_the_period_end() {
        use crate::calendar::OfficeHours;
        use crate::dossier::deadline::tests::{at, cal};
        use crate::dossier::timing::{DossierTimes, classify_766};
        // Monthly window 15/8 – 14/9/2025 (domain.md §7); end 14/9 23:59.
        let period_end = at(2025, 9, 14, 23, 59);
        let due = at(2025, 9, 5, 17, 30);
        let received = at(2025, 8, 29, 9, 0);
        let mut finished_early = DossierTimes::received(received, Some(due));
        finished_early.finished_at = Some(at(2025, 9, 3, 10, 0));
        // Finished after the period end: unfinished at the end, and past due by then.
        let mut finished_after = DossierTimes::received(received, Some(due));
        finished_after.finished_at = Some(at(2025, 9, 16, 10, 0));
        // Still open, due after the period end: in progress within the deadline.
        let open_in_time = DossierTimes::received(received, Some(at(2025, 9, 19, 17, 30)));
        // Still open and past due.
        let open_late = DossierTimes::received(received, Some(due));
        let mut f = UnitPeriodFacts::default();
        for t in [&finished_early, &finished_after, &open_in_time, &open_late] {
            let verdict = classify_766(t, period_end, None, cal(), &OfficeHours::default());
            f.count_dossier(verdict.expect("has an appointment"));
        }
        assert_eq!(f.finished_early, 1);
        assert_eq!(f.unfinished_on_time_at_period_end, 1);
        assert_eq!(f.unfinished_overdue_at_period_end, 2);
        assert_eq!(f.dossiers_late(), 2);
        // 2.1 = (1 + 1) / 4 = 50%.
        assert_eq!(on_time(&f).value(), Some(50.0));
    }

    #[test]
    fn unfinished_overdue_dossiers_are_late() {
        // 10 early, 20 on time, 5 late finished; 3 in progress within deadline, 2 overdue
        // at period end: processed 40, on time 33, late 7.
        let f = UnitPeriodFacts {
            finished_early: 10,
            finished_on_time: 20,
            finished_late: 5,
            unfinished_on_time_at_period_end: 3,
            unfinished_overdue_at_period_end: 2,
            ..Default::default()
        };
        assert_eq!(f.dossiers_processed(), 40);
        assert_eq!(on_time(&f).value(), Some(82.5));
        assert_eq!(late(&f).value(), Some(17.5));
        assert_eq!(early(&f).value(), Some(25.0));
    }
}
