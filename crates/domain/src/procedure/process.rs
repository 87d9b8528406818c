//! Quy trình nội bộ / liên thông — the ordered steps in which an agency solves a
//! procedure, each with its actor and allotted working time (domain.md §5 "Liên thông";
//! seed 6219: "quy trình nội bộ trình Chủ tịch UBND tỉnh phê duyệt và thiết lập quy trình
//! điện tử").

use serde::{Deserialize, Serialize};

use crate::calendar::OfficeHours;
use crate::dossier::WorkingLimit;
use crate::validate::FieldError;

/// Roles that may act in a step: the one-stop desk, the officer who appraises, the
/// leader who signs (domain.md §5 "Steps": tiếp nhận → thẩm định → trình → ký → trả).
pub const STEP_ROLES: [(&str, &str); 3] = [
    ("mot_cua", "Cán bộ một cửa"),
    ("chuyen_vien", "Chuyên viên"),
    ("lanh_dao_don_vi", "Lãnh đạo đơn vị"),
];

/// Vietnamese label of a step role code.
pub fn role_label(code: &str) -> &str {
    STEP_ROLES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

/// One step as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDraft {
    pub name: String,
    pub role: String,
    /// A fixed agency for a liên thông step; `None` = the agency handling the dossier.
    pub agency_id: Option<i64>,
    /// Allotted working minutes.
    pub minutes: i64,
}

/// The working minutes the internal process may use: the legal limit in working time (an
/// office day of `hours` per day). A same-day limit ("trong ngày", 0 days) leaves the
/// reception day itself, so one office day.
pub fn budget_minutes(limit: WorkingLimit, hours: &OfficeHours) -> i64 {
    match limit {
        WorkingLimit::Days(0) => hours.minutes_per_day(),
        l => l.minutes(hours),
    }
}

/// Công văn 6486/UBND-KSTT (Nghệ An, 2023) item 1: dossiers filed online are solved
/// "sớm hơn 20% so với thời hạn giải quyết theo quy định". The default provincial target:
/// the legal working minutes less `reduction_percent`, rounded down to the minute (as
/// [`crate::dossier::online_target`] does; the rounding rule is [TV]).
pub fn default_online_minutes(legal_minutes: i64, reduction_percent: u8) -> i64 {
    let keep = 100 - i64::from(reduction_percent.min(100));
    legal_minutes.max(0) * keep / 100
}

/// "2 ngày 4 giờ 30 phút làm việc" for working minutes, with `per_day` minutes a day.
pub fn format_working(minutes: i64, per_day: i64) -> String {
    let per_day = per_day.max(1);
    let (d, rest) = (minutes / per_day, minutes % per_day);
    let (h, m) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} ngày"));
    }
    if h > 0 {
        parts.push(format!("{h} giờ"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m} phút"));
    }
    format!("{} làm việc", parts.join(" "))
}

/// Checks an internal process against the procedure's legal limit and the online target
/// (TT 01/2018/TT-VPCP Điều 13 indicator 2 judges each agency against its own allotted
/// time, so the allotments must fit inside the limit the citizen is promised):
/// - at least one step; each named, with a known role and a positive time;
/// - Σ step minutes ≤ the legal limit in working minutes (when the limit is working time);
/// - the online target, if set, is positive and not longer than the legal limit.
///
/// Every problem is returned at once, in Vietnamese; fields are `steps[i].name`, …,
/// `steps`, `online_limit_minutes`.
pub fn check_process(
    steps: &[StepDraft],
    legal_minutes: Option<i64>,
    online_minutes: Option<i64>,
    per_day: i64,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut fail = |field: String, message: String| errors.push(FieldError { field, message });
    if steps.is_empty() {
        fail("steps".into(), "Quy trình phải có ít nhất một bước.".into());
    }
    if steps.len() > 50 {
        fail(
            "steps".into(),
            "Quy trình có quá nhiều bước (tối đa 50).".into(),
        );
    }
    let mut sum: i64 = 0;
    for (i, s) in steps.iter().enumerate() {
        let n = i + 1;
        let name = s.name.trim();
        if name.is_empty() {
            fail(
                format!("steps[{i}].name"),
                format!("Bước {n}: tên bước không được để trống."),
            );
        } else if name.chars().count() > 255 {
            fail(
                format!("steps[{i}].name"),
                format!("Bước {n}: tên bước dài quá 255 ký tự."),
            );
        }
        if !STEP_ROLES.iter().any(|(c, _)| *c == s.role) {
            fail(
                format!("steps[{i}].role"),
                format!(
                    "Bước {n}: vai trò «{}» không hợp lệ (cán bộ một cửa, chuyên viên hoặc lãnh đạo đơn vị).",
                    s.role
                ),
            );
        }
        if s.minutes <= 0 {
            fail(
                format!("steps[{i}].minutes"),
                format!("Bước {n}: thời gian thực hiện phải lớn hơn 0."),
            );
        }
        sum = sum.saturating_add(s.minutes.max(0));
    }
    if let Some(limit) = legal_minutes
        && sum > limit
    {
        fail(
            "steps".into(),
            format!(
                "Tổng thời gian các bước ({}) vượt thời hạn giải quyết theo quy định ({}).",
                format_working(sum, per_day),
                format_working(limit, per_day)
            ),
        );
    }
    if let Some(online) = online_minutes {
        if online <= 0 {
            fail(
                "online_limit_minutes".into(),
                "Thời hạn rút ngắn cho hồ sơ trực tuyến phải lớn hơn 0.".into(),
            );
        } else if let Some(limit) = legal_minutes
            && online > limit
        {
            fail(
                "online_limit_minutes".into(),
                format!(
                    "Thời hạn cho hồ sơ trực tuyến ({}) không được dài hơn thời hạn theo quy định ({}).",
                    format_working(online, per_day),
                    format_working(limit, per_day)
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A default internal process whose steps sum exactly to `total` working minutes:
/// reception at the one-stop desk (5%), appraisal by an officer (the rest), submission and
/// signature by the leader (15%), return of the result at the desk (5%) — the chain of
/// domain.md §5 "Steps". The shares are a demo default, not a legal rule.
pub fn default_process(total: i64) -> Vec<StepDraft> {
    let step = |name: &str, role: &str, minutes: i64| StepDraft {
        name: name.to_string(),
        role: role.to_string(),
        agency_id: None,
        minutes,
    };
    if total < 20 {
        return vec![step(
            "Tiếp nhận, giải quyết và trả kết quả",
            "mot_cua",
            total.max(1),
        )];
    }
    let reception = (total * 5 / 100).max(1);
    let sign = (total * 15 / 100).max(1);
    let give_back = (total * 5 / 100).max(1);
    let appraise = total - reception - sign - give_back;
    vec![
        step(
            "Tiếp nhận, kiểm tra hồ sơ tại Bộ phận một cửa",
            "mot_cua",
            reception,
        ),
        step("Thẩm định hồ sơ, dự thảo kết quả", "chuyen_vien", appraise),
        step("Trình ký, ký duyệt kết quả", "lanh_dao_don_vi", sign),
        step("Trả kết quả tại Bộ phận một cửa", "mot_cua", give_back),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(role: &str, minutes: i64) -> StepDraft {
        StepDraft {
            name: "Bước".into(),
            role: role.into(),
            agency_id: None,
            minutes,
        }
    }

    #[test]
    fn budget_of_working_limits() {
        let h = OfficeHours::default();
        assert_eq!(budget_minutes(WorkingLimit::Days(3), &h), 3 * 480);
        assert_eq!(budget_minutes(WorkingLimit::Hours(8), &h), 480);
        assert_eq!(budget_minutes(WorkingLimit::Days(0), &h), 480);
    }

    #[test]
    fn twenty_percent_shorter_online() {
        // 3 days = 1,440 min → 1,152 min = 2.4 days = 19 h 12 min (domain.md §5).
        assert_eq!(default_online_minutes(1440, 20), 1152);
        assert_eq!(default_online_minutes(1440, 0), 1440);
        assert_eq!(default_online_minutes(7, 20), 5);
    }

    #[test]
    fn the_default_process_fills_the_limit_exactly() {
        for total in [1, 19, 20, 480, 1440, 7 * 480, 30 * 480] {
            let p = default_process(total);
            assert_eq!(p.iter().map(|s| s.minutes).sum::<i64>(), total, "{total}");
            assert!(p.iter().all(|s| s.minutes > 0));
            assert_eq!(check_process(&p, Some(total), None, 480), Ok(()));
        }
        assert_eq!(default_process(1440).len(), 4);
    }

    #[test]
    fn a_process_longer_than_the_limit_is_refused() {
        let steps = [step("mot_cua", 60), step("chuyen_vien", 1400)];
        let e = check_process(&steps, Some(1440), None, 480).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].message,
            "Tổng thời gian các bước (3 ngày 20 phút làm việc) vượt thời hạn giải quyết theo quy định (3 ngày làm việc)."
        );
        // Without a working-time limit (calendar days), only the steps themselves are checked.
        assert_eq!(check_process(&steps, None, None, 480), Ok(()));
    }

    #[test]
    fn every_problem_is_reported() {
        let steps = [
            StepDraft {
                name: " ".into(),
                role: "giam_doc".into(),
                agency_id: None,
                minutes: 0,
            },
            step("chuyen_vien", 60),
        ];
        let e = check_process(&steps, Some(480), Some(600), 480).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "steps[0].name",
                "steps[0].role",
                "steps[0].minutes",
                "online_limit_minutes"
            ]
        );
        assert!(check_process(&[], Some(480), None, 480).is_err());
        assert!(check_process(&[step("mot_cua", 60)], Some(480), Some(0), 480).is_err());
    }

    #[test]
    fn working_time_in_words() {
        assert_eq!(format_working(1152, 480), "2 ngày 3 giờ 12 phút làm việc");
        assert_eq!(format_working(0, 480), "0 phút làm việc");
        assert_eq!(format_working(90, 480), "1 giờ 30 phút làm việc");
    }
}
