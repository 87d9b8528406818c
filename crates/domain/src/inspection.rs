//! Kiểm tra công tác cải cách hành chính — the yearly inspection plan, surprise
//! inspections (kiểm tra đột xuất công vụ), their findings and the follow-up of every
//! finding until it is remediated and verified.
//!
//! Sources: CV 6486/UBND-KSTT (Nghệ An, 2023) item 5 (đoàn kiểm tra đột xuất); 574/KH-UBND
//! II.1 and III.3 (kiểm tra, giám sát, khắc phục sau kiểm tra); 03-TB/BCĐ (kiểm tra đột
//! xuất việc chấp hành kỷ luật, kỷ cương hành chính); 6219 item 6 (công khai cán bộ, đơn vị
//! gây chậm trễ). The PAR INDEX sets score "Xử lý các vấn đề phát hiện qua kiểm tra" from
//! the findings remediated (data/demo/par: tiêu chí "Kiểm tra cải cách hành chính").

use chrono::NaiveDate;
use serde::Serialize;

/// Theo kế hoạch (in the yearly plan) or đột xuất (surprise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InspectionKind {
    Planned,
    Surprise,
}

impl InspectionKind {
    pub const ALL: [InspectionKind; 2] = [InspectionKind::Planned, InspectionKind::Surprise];
    pub fn code(self) -> &'static str {
        match self {
            InspectionKind::Planned => "ke_hoach",
            InspectionKind::Surprise => "dot_xuat",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            InspectionKind::Planned => "Theo kế hoạch",
            InspectionKind::Surprise => "Đột xuất",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

/// The life of an inspection: planned, under way (the team works, findings are
/// recorded), concluded (the conclusion notice is issued, remediation tasks exist, the
/// unit sees it), closed (every finding remediated and verified).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InspectionStatus {
    Planned,
    Conducting,
    Concluded,
    Closed,
}

impl InspectionStatus {
    pub const ALL: [InspectionStatus; 4] = [
        InspectionStatus::Planned,
        InspectionStatus::Conducting,
        InspectionStatus::Concluded,
        InspectionStatus::Closed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            InspectionStatus::Planned => "du_kien",
            InspectionStatus::Conducting => "dang_kiem_tra",
            InspectionStatus::Concluded => "da_ket_luan",
            InspectionStatus::Closed => "da_dong",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            InspectionStatus::Planned => "Dự kiến",
            InspectionStatus::Conducting => "Đang kiểm tra",
            InspectionStatus::Concluded => "Đã kết luận, đang khắc phục",
            InspectionStatus::Closed => "Đã kết thúc",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
    /// Findings may be recorded until the conclusion is issued.
    pub fn takes_findings(self) -> bool {
        matches!(
            self,
            InspectionStatus::Planned | InspectionStatus::Conducting
        )
    }
    /// The inspected unit sees the file once the conclusion is issued.
    pub fn public_to_unit(self) -> bool {
        matches!(self, InspectionStatus::Concluded | InspectionStatus::Closed)
    }
}

/// A member's role in the team (đoàn kiểm tra).
pub const MEMBER_ROLES: [(&str, &str); 4] = [
    ("truong_doan", "Trưởng đoàn"),
    ("pho_truong_doan", "Phó Trưởng đoàn"),
    ("thanh_vien", "Thành viên"),
    ("thu_ky", "Thư ký"),
];

/// The kinds of finding, by the contents the source documents inspect (574/KH-UBND II.1:
/// chỉ đạo điều hành, TTHC, một cửa; 03-TB/BCĐ: kỷ luật, kỷ cương; 6486: hồ sơ trễ hạn).
pub const FINDING_KINDS: [(&str, &str); 6] = [
    (
        "chi_dao_dieu_hanh",
        "Chỉ đạo, điều hành, thực hiện nhiệm vụ CCHC",
    ),
    (
        "thu_tuc_hanh_chinh",
        "Kiểm soát, công khai thủ tục hành chính",
    ),
    (
        "mot_cua",
        "Giải quyết hồ sơ theo cơ chế một cửa, một cửa liên thông",
    ),
    ("ky_luat_ky_cuong", "Kỷ luật, kỷ cương hành chính, công vụ"),
    ("che_do_bao_cao", "Chế độ thông tin, báo cáo"),
    ("khac", "Khác"),
];

/// Whether the principal inspects for the whole province: the offices that follow reform
/// for the UBND tỉnh (Sở Nội vụ, Văn phòng UBND tỉnh – KSTT), its leaders, administrators.
pub fn inspects_province(p: &crate::org::Principal) -> bool {
    p.roles.iter().any(|r| r.is_province_wide())
}

/// Whether the principal may lead an inspection of the unit at `target_path`: the
/// province's inspecting side any unit; the head of a unit (lãnh đạo đơn vị) the units
/// below their own — a department its sub-departments, a commune its bodies — never their
/// own unit (574/KH-UBND III.3: each body inspects reform in the units it manages).
pub fn may_inspect(p: &crate::org::Principal, target_path: &str) -> bool {
    inspects_province(p)
        || (p.has(crate::org::Role::LanhDaoDonVi)
            && target_path.starts_with(p.agency_path.as_str())
            && target_path != p.agency_path)
}

/// Whether the principal leads the file of an inspection led by the body at `lead_path`:
/// the province's inspecting side every file; a unit's head the files their unit (or a
/// unit below it) leads.
pub fn leads(p: &crate::org::Principal, lead_path: Option<&str>) -> bool {
    inspects_province(p)
        || (p.has(crate::org::Role::LanhDaoDonVi)
            && lead_path.is_some_and(|l| l.starts_with(p.agency_path.as_str())))
}

pub fn label_of(list: &[(&'static str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// How a finding's remediation stands, from its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Remediation {
    /// No remediation asked (a remark, a good practice).
    NotRequired,
    /// Being remediated; `late` once the deadline has passed.
    Open { late: bool },
    /// Reported done, waiting for the inspecting side to verify.
    AwaitingVerification,
    /// Verified; `on_time` when done by the deadline.
    Verified { on_time: bool },
}

impl Remediation {
    /// From the task: its deadline, the day it was reported done and whether verified.
    pub fn of(
        required: bool,
        deadline: Option<NaiveDate>,
        submitted_on: Option<NaiveDate>,
        verified: bool,
        today: NaiveDate,
    ) -> Remediation {
        if !required {
            return Remediation::NotRequired;
        }
        let on_time = |d: NaiveDate| deadline.is_none_or(|dl| d <= dl);
        match (submitted_on, verified) {
            (Some(d), true) => Remediation::Verified {
                on_time: on_time(d),
            },
            (Some(_), false) => Remediation::AwaitingVerification,
            (None, _) => Remediation::Open {
                late: deadline.is_some_and(|dl| today > dl),
            },
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Remediation::NotRequired => "Không yêu cầu khắc phục",
            Remediation::Open { late: false } => "Đang khắc phục",
            Remediation::Open { late: true } => "Quá hạn khắc phục",
            Remediation::AwaitingVerification => "Đã khắc phục, chờ xác nhận",
            Remediation::Verified { on_time: true } => "Đã khắc phục đúng hạn",
            Remediation::Verified { on_time: false } => "Đã khắc phục quá hạn",
        }
    }
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            Remediation::NotRequired | Remediation::Verified { .. }
        )
    }
}

/// Why an inspection cannot be closed yet: the findings whose remediation is not verified
/// (their numbers).
pub fn close_refusal(findings: &[(u32, Remediation)]) -> Option<String> {
    let open: Vec<String> = findings
        .iter()
        .filter(|(_, r)| !r.is_settled())
        .map(|(n, _)| n.to_string())
        .collect();
    (!open.is_empty()).then(|| {
        format!(
            "Chưa kết thúc được cuộc kiểm tra: phát hiện số {} chưa được khắc phục và xác nhận.",
            open.join(", ")
        )
    })
}

/// The share of findings requiring remediation that were remediated on time and
/// verified, in percent; `None` when none required remediation (the PAR INDEX criterion
/// "Xử lý các vấn đề phát hiện qua kiểm tra" is then not applicable).
pub fn remediated_on_time_percent(findings: &[Remediation]) -> Option<f64> {
    let required: Vec<&Remediation> = findings
        .iter()
        .filter(|r| **r != Remediation::NotRequired)
        .collect();
    if required.is_empty() {
        return None;
    }
    let ok = required
        .iter()
        .filter(|r| matches!(r, Remediation::Verified { on_time: true }))
        .count();
    Some((ok as f64 * 10000.0 / required.len() as f64).round() / 100.0)
}

/// One unit's inspection figures over a period: inspections, findings by kind (in
/// [`FINDING_KINDS`] order) and how the findings needing remediation stand.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    pub inspections: u32,
    pub findings: u32,
    pub by_kind: Vec<u32>,
    pub remediation_required: u32,
    /// Remediated by the deadline and verified.
    pub remediated_on_time: u32,
    /// Remediated after the deadline and verified.
    pub remediated_late: u32,
    /// Reported done, waiting for verification.
    pub awaiting_verification: u32,
    /// Not yet remediated, deadline not passed.
    pub in_progress: u32,
    /// Not yet remediated, deadline passed.
    pub overdue: u32,
    /// `remediated_on_time` in percent of `remediation_required` (none when nothing was
    /// to be remediated).
    pub on_time_percent: Option<f64>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            by_kind: vec![0; FINDING_KINDS.len()],
            ..Tally::default()
        }
    }

    /// Counts one finding of kind `kind` whose remediation stands at `r`.
    pub fn add_finding(&mut self, kind: &str, r: Remediation) {
        self.findings += 1;
        if let Some(i) = FINDING_KINDS.iter().position(|(c, _)| *c == kind) {
            self.by_kind[i] += 1;
        }
        match r {
            Remediation::NotRequired => return,
            Remediation::Verified { on_time: true } => self.remediated_on_time += 1,
            Remediation::Verified { on_time: false } => self.remediated_late += 1,
            Remediation::AwaitingVerification => self.awaiting_verification += 1,
            Remediation::Open { late: false } => self.in_progress += 1,
            Remediation::Open { late: true } => self.overdue += 1,
        }
        self.remediation_required += 1;
        self.on_time_percent = (self.remediation_required > 0).then(|| {
            (f64::from(self.remediated_on_time) * 10000.0 / f64::from(self.remediation_required))
                .round()
                / 100.0
        });
    }

    /// Adds another unit's figures (the totals row).
    pub fn absorb(&mut self, o: &Tally) {
        self.inspections += o.inspections;
        self.findings += o.findings;
        for (a, b) in self.by_kind.iter_mut().zip(&o.by_kind) {
            *a += b;
        }
        self.remediation_required += o.remediation_required;
        self.remediated_on_time += o.remediated_on_time;
        self.remediated_late += o.remediated_late;
        self.awaiting_verification += o.awaiting_verification;
        self.in_progress += o.in_progress;
        self.overdue += o.overdue;
        self.on_time_percent = (self.remediation_required > 0).then(|| {
            (f64::from(self.remediated_on_time) * 10000.0 / f64::from(self.remediation_required))
                .round()
                / 100.0
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_tally_counts_each_state_once() {
        let mut t = Tally::new();
        t.inspections = 1;
        t.add_finding("mot_cua", Remediation::Verified { on_time: true });
        t.add_finding("mot_cua", Remediation::Open { late: true });
        t.add_finding("khac", Remediation::NotRequired);
        t.add_finding("che_do_bao_cao", Remediation::AwaitingVerification);
        assert_eq!((t.findings, t.remediation_required), (4, 3));
        assert_eq!(t.by_kind, vec![0, 0, 2, 0, 1, 1]);
        assert_eq!(
            (t.remediated_on_time, t.overdue, t.awaiting_verification),
            (1, 1, 1)
        );
        assert_eq!(t.on_time_percent, Some(33.33));
        let mut total = Tally::new();
        total.absorb(&t);
        total.absorb(&t);
        assert_eq!(
            (total.inspections, total.findings, total.on_time_percent),
            (2, 8, Some(33.33))
        );
    }

    #[test]
    fn who_inspects_whom() {
        use crate::org::{Principal, Role};
        let who = |path: &str, role: Role| Principal {
            user_id: 1,
            username: "u".into(),
            agency_id: 1,
            agency_path: path.into(),
            roles: vec![role],
        };
        let snv = who("/1/7/", Role::SoNoiVu);
        assert!(may_inspect(&snv, "/1/9/") && leads(&snv, Some("/1/7/")));
        let head = who("/1/9/", Role::LanhDaoDonVi);
        assert!(may_inspect(&head, "/1/9/12/"));
        assert!(!may_inspect(&head, "/1/9/"), "never its own unit");
        assert!(
            !may_inspect(&head, "/1/10/"),
            "never a unit outside its own"
        );
        assert!(leads(&head, Some("/1/9/")) && !leads(&head, Some("/1/7/")));
        let officer = who("/1/9/", Role::ChuyenVien);
        assert!(!may_inspect(&officer, "/1/9/12/") && !leads(&officer, Some("/1/9/")));
    }

    #[test]
    fn codes_round_trip() {
        for k in InspectionKind::ALL {
            assert_eq!(InspectionKind::parse(k.code()), Some(k));
        }
        for s in InspectionStatus::ALL {
            assert_eq!(InspectionStatus::parse(s.code()), Some(s));
        }
        assert!(InspectionStatus::Conducting.takes_findings());
        assert!(!InspectionStatus::Concluded.takes_findings());
        assert!(InspectionStatus::Concluded.public_to_unit());
        assert!(!InspectionStatus::Conducting.public_to_unit());
        assert_eq!(
            label_of(&FINDING_KINDS, "mot_cua").map(|l| l.len() > 10),
            Some(true)
        );
    }

    #[test]
    fn remediation_follows_the_task() {
        let today = d("2025-10-15");
        let dl = Some(d("2025-09-30"));
        assert_eq!(
            Remediation::of(false, dl, None, false, today),
            Remediation::NotRequired
        );
        assert_eq!(
            Remediation::of(true, dl, None, false, today),
            Remediation::Open { late: true }
        );
        assert_eq!(
            Remediation::of(true, Some(d("2025-10-31")), None, false, today),
            Remediation::Open { late: false }
        );
        assert_eq!(
            Remediation::of(true, dl, Some(d("2025-09-30")), false, today),
            Remediation::AwaitingVerification
        );
        assert_eq!(
            Remediation::of(true, dl, Some(d("2025-09-30")), true, today),
            Remediation::Verified { on_time: true }
        );
        assert_eq!(
            Remediation::of(true, dl, Some(d("2025-10-01")), true, today),
            Remediation::Verified { on_time: false }
        );
    }

    #[test]
    fn closing_waits_for_every_finding_and_the_rate_counts_on_time() {
        let v = |on_time| Remediation::Verified { on_time };
        let list = [
            (1, Remediation::NotRequired),
            (2, v(true)),
            (3, Remediation::AwaitingVerification),
            (4, Remediation::Open { late: true }),
        ];
        let why = close_refusal(&list).unwrap();
        assert!(why.contains("3, 4"), "{why}");
        assert_eq!(close_refusal(&list[..2]), None);
        let rs: Vec<Remediation> = list.iter().map(|x| x.1).collect();
        assert_eq!(remediated_on_time_percent(&rs), Some(33.33));
        assert_eq!(remediated_on_time_percent(&[v(true), v(false)]), Some(50.0));
        assert_eq!(
            remediated_on_time_percent(&[Remediation::NotRequired]),
            None
        );
    }
}
