//! Tổ chức — agencies, roles and the access scope of a signed-in user.
//!
//! Access is always scoped to an agency subtree (product.md, "Who uses it"): an officer of
//! one commune never sees or changes another commune's data. Agencies are stored with a
//! materialised path ("/1/5/23/"), so "inside the subtree of X" is a prefix test.

use serde::{Deserialize, Serialize};

/// Loại cơ quan — the kind of an agency in the provincial tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Ủy ban nhân dân tỉnh.
    UbndTinh,
    /// Sở, ban, ngành cấp tỉnh.
    SoNganh,
    /// Ủy ban nhân dân huyện, thị xã, thành phố (until 30/6/2025).
    UbndHuyen,
    /// Ủy ban nhân dân xã, phường, thị trấn (đặc khu from 1/7/2025).
    UbndXa,
    /// Đơn vị trực thuộc — a unit under a department or an office.
    DonViTrucThuoc,
    /// Trung tâm Phục vụ hành chính công (province; communes from 1/7/2025, NĐ 118/2025/NĐ-CP).
    TrungTamPhvhcc,
    /// Ban Chỉ đạo cải cách hành chính.
    BanChiDao,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 7] = [
        AgencyKind::UbndTinh,
        AgencyKind::SoNganh,
        AgencyKind::UbndHuyen,
        AgencyKind::UbndXa,
        AgencyKind::DonViTrucThuoc,
        AgencyKind::TrungTamPhvhcc,
        AgencyKind::BanChiDao,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgencyKind::UbndTinh => "ubnd_tinh",
            AgencyKind::SoNganh => "so_nganh",
            AgencyKind::UbndHuyen => "ubnd_huyen",
            AgencyKind::UbndXa => "ubnd_xa",
            AgencyKind::DonViTrucThuoc => "don_vi_truc_thuoc",
            AgencyKind::TrungTamPhvhcc => "trung_tam_phvhcc",
            AgencyKind::BanChiDao => "ban_chi_dao",
        }
    }

    pub fn parse(s: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Vietnamese label shown to users.
    pub fn label(self) -> &'static str {
        match self {
            AgencyKind::UbndTinh => "UBND tỉnh",
            AgencyKind::SoNganh => "Sở, ban, ngành",
            AgencyKind::UbndHuyen => "UBND huyện",
            AgencyKind::UbndXa => "UBND xã",
            AgencyKind::DonViTrucThuoc => "Đơn vị trực thuộc",
            AgencyKind::TrungTamPhvhcc => "Trung tâm Phục vụ hành chính công",
            AgencyKind::BanChiDao => "Ban Chỉ đạo",
        }
    }
}

/// Mã cơ quan — a short code such as `SNV` or `H-CONCUONG`: 2–32 characters of A–Z, 0–9
/// and '-', starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl AgencyCode {
    pub fn parse(s: &str) -> Result<AgencyCode, &'static str> {
        let s = s.trim();
        if s.len() < 2 || s.len() > 32 {
            return Err("Mã cơ quan phải dài từ 2 đến 32 ký tự.");
        }
        let mut chars = s.chars();
        if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
            return Err("Mã cơ quan phải bắt đầu bằng chữ in hoa không dấu.");
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        {
            return Err("Mã cơ quan chỉ gồm chữ in hoa không dấu (A–Z), chữ số và dấu gạch ngang.");
        }
        Ok(AgencyCode(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AgencyCode {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AgencyCode::parse(&s)
    }
}

impl From<AgencyCode> for String {
    fn from(c: AgencyCode) -> String {
        c.0
    }
}

/// Vai trò — the roles of product.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: everything, incl. users, calendar, configuration.
    Admin,
    /// Lãnh đạo tỉnh: reads everything; issues directives; approves extensions.
    LanhDaoTinh,
    /// Sở Nội vụ (tổ giúp việc CCHC): reform directives, tasks, PAR scoring.
    SoNoiVu,
    /// Văn phòng UBND tỉnh – Kiểm soát TTHC: procedure catalog, dossier oversight.
    VanPhongKstt,
    /// Lãnh đạo đơn vị: everything inside their agency subtree.
    LanhDaoDonVi,
    /// Chuyên viên đơn vị: works on tasks and dossiers of their agency.
    ChuyenVien,
    /// Cán bộ một cửa: receives and returns dossiers for their centre.
    MotCua,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::LanhDaoTinh,
        Role::SoNoiVu,
        Role::VanPhongKstt,
        Role::LanhDaoDonVi,
        Role::ChuyenVien,
        Role::MotCua,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::LanhDaoTinh => "lanh_dao_tinh",
            Role::SoNoiVu => "so_noi_vu",
            Role::VanPhongKstt => "van_phong_kstt",
            Role::LanhDaoDonVi => "lanh_dao_don_vi",
            Role::ChuyenVien => "chuyen_vien",
            Role::MotCua => "mot_cua",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::LanhDaoTinh => "Lãnh đạo tỉnh",
            Role::SoNoiVu => "Sở Nội vụ (CCHC)",
            Role::VanPhongKstt => "Văn phòng UBND – KSTT",
            Role::LanhDaoDonVi => "Lãnh đạo đơn vị",
            Role::ChuyenVien => "Chuyên viên",
            Role::MotCua => "Cán bộ một cửa",
        }
    }

    /// Roles whose reading scope is the whole province, whatever agency they sit in.
    pub fn is_province_wide(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::LanhDaoTinh | Role::SoNoiVu | Role::VanPhongKstt
        )
    }
}

/// The signed-in user as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub agency_id: i64,
    /// Materialised path of the user's agency, e.g. "/1/5/".
    pub agency_path: String,
    pub roles: Vec<Role>,
}

/// What a principal may see: the whole province or one agency subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Province,
    Subtree { path: String },
}

impl Scope {
    /// Whether an agency with the given materialised path lies inside this scope.
    pub fn contains(&self, agency_path: &str) -> bool {
        match self {
            Scope::Province => true,
            Scope::Subtree { path } => agency_path.starts_with(path.as_str()),
        }
    }

    /// The path prefix to filter on, or `None` for the whole province.
    pub fn prefix(&self) -> Option<&str> {
        match self {
            Scope::Province => None,
            Scope::Subtree { path } => Some(path),
        }
    }
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// Reading scope: province-wide roles see everything, others their agency subtree.
    pub fn scope(&self) -> Scope {
        if self.roles.iter().any(|r| r.is_province_wide()) {
            Scope::Province
        } else {
            Scope::Subtree {
                path: self.agency_path.clone(),
            }
        }
    }

    /// Only administrators create, edit or deactivate agencies: the tree is the
    /// province's legal structure, changed by decision, not by each unit.
    pub fn can_manage_agencies(&self) -> bool {
        self.is_admin()
    }

    /// Who may manage user accounts of an agency: administrators anywhere, a unit's head
    /// inside their own subtree.
    pub fn can_manage_users_in(&self, agency_path: &str) -> bool {
        self.is_admin()
            || (self.has(Role::LanhDaoDonVi) && agency_path.starts_with(self.agency_path.as_str()))
    }

    /// Which roles this principal may grant. A unit head grants only unit roles, so that
    /// nobody can widen their own scope.
    pub fn can_grant(&self, role: Role) -> bool {
        if self.is_admin() {
            return true;
        }
        self.has(Role::LanhDaoDonVi)
            && matches!(role, Role::LanhDaoDonVi | Role::ChuyenVien | Role::MotCua)
    }

    pub fn can_read_audit(&self) -> bool {
        self.is_admin()
    }

    /// Who registers directives and assigns tasks: the offices that follow reform work up
    /// for the UBND tỉnh — Sở Nội vụ (574/KH-UBND III.3: "theo dõi, đôn đốc, tổng hợp"),
    /// VP UBND – KSTT (6486), the provincial leaders — and administrators.
    pub fn can_assign_tasks(&self) -> bool {
        self.roles.iter().any(|r| {
            matches!(
                r,
                Role::Admin | Role::LanhDaoTinh | Role::SoNoiVu | Role::VanPhongKstt
            )
        })
    }

    /// The same offices verify completions and decide on extensions.
    pub fn can_verify_tasks(&self) -> bool {
        self.can_assign_tasks()
    }

    /// Officers and heads of an agency report on its tasks; desk officers do not.
    pub fn can_report_for(&self, agency_path: &str) -> bool {
        self.is_admin()
            || (self.roles.iter().any(|r| {
                matches!(
                    r,
                    Role::LanhDaoDonVi | Role::ChuyenVien | Role::SoNoiVu | Role::VanPhongKstt
                )
            }) && agency_path.starts_with(self.agency_path.as_str()))
    }
}

impl Principal {
    /// One-stop desk work — receive, refuse at intake, ask for supplements, return
    /// results, record payment — is done by the desk officers (cán bộ một cửa) of the
    /// receiving unit (NĐ 61/2018 Điều 8, NĐ 118/2025: bộ phận một cửa), and administrators.
    pub fn can_work_desk(&self, desk_path: &str) -> bool {
        self.is_admin()
            || (self.has(Role::MotCua) && desk_path.starts_with(self.agency_path.as_str()))
    }

    /// Processing — assign, appraise, hand over, finish, stop, apologise — is done by the
    /// officers and heads of the agency handling the current step.
    pub fn can_process_at(&self, agency_path: &str) -> bool {
        self.is_admin()
            || (self
                .roles
                .iter()
                .any(|r| matches!(r, Role::ChuyenVien | Role::LanhDaoDonVi))
                && agency_path.starts_with(self.agency_path.as_str()))
    }
}

/// Materialised path of a child under `parent_path` ("/" for the root's parent).
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(roles: &[Role], path: &str) -> Principal {
        Principal {
            user_id: 1,
            username: "u".into(),
            agency_id: 5,
            agency_path: path.into(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        for k in AgencyKind::ALL {
            assert_eq!(AgencyKind::parse(k.code()), Some(k));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn agency_code_rules() {
        assert!(AgencyCode::parse("H-CONCUONG").is_ok());
        assert!(AgencyCode::parse("SNV").is_ok());
        assert!(AgencyCode::parse("snv").is_err());
        assert!(AgencyCode::parse("S").is_err());
        assert!(AgencyCode::parse("SỞ").is_err());
        assert!(AgencyCode::parse("1ABC").is_err());
        assert!(AgencyCode::parse(&"A".repeat(33)).is_err());
    }

    #[test]
    fn subtree_scope_is_a_prefix_not_a_substring() {
        let p = principal(&[Role::ChuyenVien], "/1/12/");
        let s = p.scope();
        assert!(s.contains("/1/12/"));
        assert!(s.contains("/1/12/40/"));
        assert!(!s.contains("/1/120/"));
        assert!(!s.contains("/1/"));
        assert_eq!(
            principal(&[Role::SoNoiVu], "/1/3/").scope(),
            Scope::Province
        );
    }

    #[test]
    fn unit_head_cannot_grant_province_roles_or_manage_outside() {
        let head = principal(&[Role::LanhDaoDonVi], "/1/12/");
        assert!(head.can_grant(Role::ChuyenVien));
        assert!(!head.can_grant(Role::Admin));
        assert!(!head.can_grant(Role::SoNoiVu));
        assert!(head.can_manage_users_in("/1/12/40/"));
        assert!(!head.can_manage_users_in("/1/13/"));
        let officer = principal(&[Role::ChuyenVien], "/1/12/");
        assert!(!officer.can_manage_users_in("/1/12/"));
        assert!(!officer.can_manage_agencies());
    }
}
