//! Page models for the askama templates, and the formatting every page shares:
//! dd/mm/yyyy dates, Vietnam time (UTC+07:00), 1.234,5 numbers.

use askama::Template;
use domain::org::{Principal, Role};

use crate::auth::CurrentUser;

pub use domain::fmt::{date_vn, datetime_vn, int_vn, opt_date_vn};

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
/// A file size as people read it: "812 byte", "14,2 KB", "3,5 MB" (never "0 KB").
pub fn size_vn(bytes: &i64) -> String {
    let b = *bytes.max(&0);
    if b < 1024 {
        format!("{b} byte")
    } else if b < 1024 * 1024 {
        format!("{:.1} KB", b as f64 / 1024.0).replace('.', ",")
    } else {
        format!("{:.1} MB", b as f64 / 1024.0 / 1024.0).replace('.', ",")
    }
}

/// Whether a date typed as dd/mm/yyyy is before today (the import proposal warns: a
/// deadline already past when the directive is registered is usually a misreading, or a
/// task to be extended).
pub fn is_past_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y")
        .is_ok_and(|d| d < domain::time::today())
}

/// A recurrence code ("monthly:18") in words ("Hằng tháng, ngày 18"); an unknown code as
/// it is, nothing for nothing.
pub fn recurrence_vi(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return String::new();
    }
    // A frequency without its day, as the reader proposes it.
    match code {
        "weekly" => return "Hằng tuần".into(),
        "monthly" => return "Hằng tháng".into(),
        "quarterly" => return "Hằng quý".into(),
        "semiannual" => return "6 tháng một lần".into(),
        "yearly" => return "Hằng năm".into(),
        _ => {}
    }
    code.parse::<domain::calendar::Recurrence>()
        .map(|r| r.label_vi())
        .unwrap_or_else(|_| code.to_string())
}

/// The value a refused form sent for field `k`, shown again; empty when none.
pub fn sent(v: &std::collections::HashMap<String, String>, k: &str) -> String {
    v.get(k).cloned().unwrap_or_default()
}

/// The messages for field `k` and its sub-fields (`k[0].name`), joined, for the line
/// under the field.
pub fn errors_of(errors: &[domain::validate::FieldError], k: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == k || e.field.starts_with(&format!("{k}[")))
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn nav_for(p: &Principal, current: &str) -> Vec<NavItem> {
    let mut items = vec![("/", "Trang chủ")];
    if app::dashboard::is_home_for(p) {
        items.push(("/dieu-hanh", "Điều hành"));
    }
    if p.has(Role::MotCua) {
        items.push(("/mot-cua", "Quầy một cửa"));
    }
    items.extend([
        ("/van-ban", "Văn bản"),
        ("/nhiem-vu", "Nhiệm vụ"),
        ("/ho-so", "Hồ sơ một cửa"),
        ("/phan-anh-kien-nghi", "Phản ánh"),
        ("/chi-so", "Chỉ số 766"),
        ("/chi-so-cchc", "Chỉ số CCHC"),
        ("/kiem-tra", "Kiểm tra"),
        ("/bao-cao", "Báo cáo"),
        ("/bao-cao/qua-han", "Quá hạn"),
        ("/co-quan", "Đơn vị"),
        ("/lich-lam-viec", "Lịch làm việc"),
    ]);
    if p.is_admin() || p.has(Role::LanhDaoDonVi) || p.roles.iter().any(|r| r.is_province_wide()) {
        items.push(("/nguoi-dung", "Người dùng"));
    }
    if p.can_read_audit() {
        items.push(("/nhat-ky", "Nhật ký hệ thống"));
    }
    items.push(("/thong-bao", "Thông báo"));
    // The API documentation is for the administrators who connect other systems.
    if p.is_admin() {
        items.push(("/api/docs", "Tài liệu API"));
    }
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
        409 => "Không thực hiện được thao tác",
        429 => "Tạm thời bị giới hạn",
        413 => "Dữ liệu quá lớn",
        503 => "Máy chủ đang bận",
        _ => "Lỗi hệ thống",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_sizes_as_people_read_them() {
        assert_eq!(super::size_vn(&812), "812 byte");
        assert_eq!(super::size_vn(&14_540), "14,2 KB");
        assert_eq!(super::size_vn(&(3 * 1024 * 1024 + 512 * 1024)), "3,5 MB");
        assert_eq!(super::size_vn(&-1), "0 byte");
    }
}
