//! Input validation at the edge: every string is normalised to NFC, trimmed and bounded,
//! and every message is Vietnamese, ready to show next to the field.

use crate::text::nfc;

/// A problem with one field of a form or a JSON body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Collects field errors while a form is checked.
#[derive(Debug, Default, Clone)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// A required text: NFC, trimmed, 1..=max characters, no control characters.
    pub fn required(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let v = clean(value);
        if v.is_empty() {
            self.fail(field, format!("{label} không được để trống."));
        } else if v.chars().count() > max {
            self.fail(field, format!("{label} dài quá {max} ký tự."));
        } else if has_control(&v) {
            self.fail(field, format!("{label} chứa ký tự không hợp lệ."));
        }
        v
    }

    /// An optional text: empty becomes `None`.
    pub fn optional(
        &mut self,
        field: &str,
        label: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let v = clean(value.unwrap_or(""));
        if v.is_empty() {
            return None;
        }
        if v.chars().count() > max {
            self.fail(field, format!("{label} dài quá {max} ký tự."));
        } else if has_control(&v) {
            self.fail(field, format!("{label} chứa ký tự không hợp lệ."));
        }
        Some(v)
    }

    /// An ISO (YYYY-MM-DD) or Vietnamese (dd/mm/yyyy) date.
    pub fn date(&mut self, field: &str, label: &str, value: &str) -> Option<chrono::NaiveDate> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        match parse_date(v) {
            Some(d) => Some(d),
            None => {
                self.fail(
                    field,
                    format!("{label} không đúng định dạng ngày (dd/mm/yyyy)."),
                );
                None
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// All messages on one line, for API errors and flash messages.
    pub fn summary(&self) -> String {
        self.errors
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// NFC and trimmed.
pub fn clean(s: &str) -> String {
    nfc(s.trim())
}

fn has_control(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

/// Parses "2026-02-10" or "10/02/2026" / "10/2/2026".
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split('/').collect();
    if parts.len() == 3 {
        let d: u32 = parts[0].trim().parse().ok()?;
        let m: u32 = parts[1].trim().parse().ok()?;
        let y: i32 = parts[2].trim().parse().ok()?;
        if parts[2].trim().len() == 4 {
            return chrono::NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    None
}

/// A login name: 3–64 characters of a–z, 0–9, '.', '_' and '-'.
pub fn username(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    if v.len() < 3 || v.len() > 64 {
        return Err("Tên đăng nhập phải dài từ 3 đến 64 ký tự.");
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err(
            "Tên đăng nhập chỉ gồm chữ thường không dấu, chữ số và các dấu chấm, gạch dưới, gạch ngang.",
        );
    }
    Ok(v.to_string())
}

/// A password policy a government system can defend: at least 8 characters with a letter
/// and a digit, at most 128.
pub fn password(value: &str) -> Result<(), &'static str> {
    let n = value.chars().count();
    if n < 8 {
        return Err("Mật khẩu phải có ít nhất 8 ký tự.");
    }
    if n > 128 {
        return Err("Mật khẩu dài quá 128 ký tự.");
    }
    if !value.chars().any(|c| c.is_alphabetic()) || !value.chars().any(|c| c.is_ascii_digit()) {
        return Err("Mật khẩu phải có cả chữ và số.");
    }
    Ok(())
}

const COMMON_PASSWORDS: &str = include_str!("../../../data/security/common-passwords.txt");

/// [`password`], and not the user name (nor containing it) nor one of the common
/// passwords of `data/security/common-passwords.txt` (compared without case and
/// diacritics).
pub fn password_for(username: &str, value: &str) -> Result<(), &'static str> {
    password(value)?;
    let v = crate::text::fold_vi(value).to_lowercase();
    let u = crate::text::fold_vi(username).to_lowercase();
    if !u.is_empty() && (v == u || v.contains(&u)) {
        return Err("Mật khẩu không được trùng hoặc chứa tên đăng nhập.");
    }
    let common = COMMON_PASSWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l.to_lowercase() == v);
    if common {
        return Err("Mật khẩu quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_trims_normalises_and_bounds() {
        let mut c = Checker::new();
        assert_eq!(
            c.required("name", "Tên", "  Nghe\u{302}\u{323} An ", 10),
            "Nghệ An"
        );
        assert!(c.is_ok());
        c.required("name", "Tên", "   ", 10);
        c.required("name", "Tên", "abcdefghijk", 10);
        c.required("name", "Tên", "a\u{0}b", 10);
        assert_eq!(c.errors.len(), 3);
        assert!(c.summary().contains("không được để trống"));
    }

    #[test]
    fn dates_in_both_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 2, 10);
        assert_eq!(parse_date("2026-02-10"), d);
        assert_eq!(parse_date("10/02/2026"), d);
        assert_eq!(parse_date("10/2/2026"), d);
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("10/2/26"), None);
    }

    #[test]
    fn usernames_and_passwords() {
        assert!(username("motcua.concuong").is_ok());
        assert!(username("Admin").is_err());
        assert!(username("ng\u{1b0}\u{1edd}i").is_err());
        assert!(password("demo").is_err());
        assert!(password("abcdefgh").is_err());
        assert!(password("matkhau123").is_ok());
    }

    #[test]
    fn passwords_are_not_the_user_name_or_common() {
        assert!(password_for("canbo.stp", "canbo.stp1").is_err());
        assert!(password_for("canbo1234", "CANBO1234").is_err());
        assert!(password_for("nguyenvana", "matkhau123").is_err());
        assert!(password_for("nguyenvana", "Bien-Cua-Lo-2026").is_ok());
    }
}
