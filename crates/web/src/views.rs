//! Page models for the askama templates, and the formatting every page shares:
//! dd/mm/yyyy dates, Vietnam time (UTC+07:00), 1.234,5 numbers.

use askama::Template;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use domain::org::{Principal, Role};

use crate::auth::CurrentUser;

/// dd/mm/yyyy.
pub fn date_vn(d: &NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

pub fn opt_date_vn(d: &Option<NaiveDate>) -> String {
    d.as_ref().map(date_vn).unwrap_or_default()
}

/// "HH:MM dd/mm/yyyy" in Vietnam time.
pub fn datetime_vn(t: &DateTime<Utc>) -> String {
    let vn = FixedOffset::east_opt(7 * 3600).map(|o| t.with_timezone(&o));
    match vn {
        Some(t) => t.format("%H:%M %d/%m/%Y").to_string(),
        None => t.format("%H:%M %d/%m/%Y UTC").to_string(),
    }
}

/// 1234567 → "1.234.567".
pub fn int_vn(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

/// What the layout needs on every signed-in page.
pub struct Chrome {
    pub signed_in: bool,
    pub full_name: String,
    pub username: String,
    pub agency_name: String,
    pub role_labels: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub flash: Option<String>,
    pub title: String,
}

impl Chrome {
    pub fn new(
        user: &CurrentUser,
        current: &str,
        title: impl Into<String>,
        flash: Option<String>,
    ) -> Chrome {
        Chrome {
            signed_in: true,
            full_name: user.full_name.clone(),
            username: user.principal.username.clone(),
            agency_name: user.agency_name.clone(),
            role_labels: user
                .principal
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            csrf: user.csrf_token.clone(),
            nav: nav_for(&user.principal, current),
            flash,
            title: title.into(),
        }
    }

    pub fn public(title: impl Into<String>, csrf: String) -> Chrome {
        Chrome {
            signed_in: false,
            full_name: String::new(),
            username: String::new(),
            agency_name: String::new(),
            role_labels: String::new(),
            csrf,
            nav: Vec::new(),
            flash: None,
            title: title.into(),
        }
    }
}

/// Navigation depends on role: everyone sees the home page and the agency tree; those
/// who manage accounts see users; administrators see the audit log.
pub fn nav_for(p: &Principal, current: &str) -> Vec<NavItem> {
    let mut items = vec![
        ("/", "Trang chủ"),
        ("/van-ban", "Văn bản chỉ đạo"),
        ("/nhiem-vu", "Nhiệm vụ"),
        ("/ho-so", "Hồ sơ một cửa"),
        ("/chi-so", "Chỉ số 766"),
        ("/bao-cao", "Báo cáo"),
        ("/bao-cao/qua-han", "Quá hạn"),
        ("/co-quan", "Cơ quan, đơn vị"),
        ("/lich-lam-viec", "Lịch làm việc"),
    ];
    if p.is_admin() || p.has(Role::LanhDaoDonVi) || p.roles.iter().any(|r| r.is_province_wide()) {
        items.push(("/nguoi-dung", "Người dùng"));
    }
    if p.can_read_audit() {
        items.push(("/nhat-ky", "Nhật ký hệ thống"));
    }
    items.push(("/thong-bao", "Thông báo"));
    items.push(("/api/docs", "API"));
    // The longest entry the page's path starts with is the active one ("/bao-cao/qua-han"
    // is not also "/bao-cao").
    let active = items
        .iter()
        .map(|(href, _)| *href)
        .filter(|href| {
            if *href == "/" {
                current == "/"
            } else {
                current.starts_with(href)
            }
        })
        .max_by_key(|href| href.len());
    items
        .into_iter()
        .map(|(href, label)| NavItem {
            href,
            label,
            active: Some(href) == active,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: String,
}

pub fn error_title(status: u16) -> &'static str {
    match status {
        400 | 422 => "Yêu cầu không hợp lệ",
        401 => "Chưa đăng nhập",
        403 => "Không có quyền truy cập",
        404 => "Không tìm thấy",
        409 => "Dữ liệu bị trùng",
        429 => "Tạm thời bị giới hạn",
        _ => "Lỗi hệ thống",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_formats() {
        assert_eq!(int_vn(1234567), "1.234.567");
        assert_eq!(int_vn(999), "999");
        assert_eq!(int_vn(-1000), "-1.000");
        let d = NaiveDate::from_ymd_opt(2023, 8, 5).unwrap_or_default();
        assert_eq!(date_vn(&d), "05/08/2023");
        let t = DateTime::parse_from_rfc3339("2023-08-15T17:30:00Z").map(|t| t.with_timezone(&Utc));
        assert_eq!(
            t.map(|t| datetime_vn(&t)).unwrap_or_default(),
            "00:30 16/08/2023"
        );
    }
}
