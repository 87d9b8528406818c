//! Stored codes of the catalog's enumerations: the level of government and the online
//! level are kept as short ASCII words in the database and the API (`tinh`, `xa`,
//! `toan_trinh` …), shown with their Vietnamese labels.

use super::{OnlineLevel, ProcedureLevel};

impl ProcedureLevel {
    pub const ALL: [ProcedureLevel; 4] = [
        ProcedureLevel::Province,
        ProcedureLevel::District,
        ProcedureLevel::Commune,
        ProcedureLevel::Interlinked,
    ];

    /// The stored code: `tinh`, `huyen`, `xa`, `lien_thong`.
    pub fn code(self) -> &'static str {
        match self {
            ProcedureLevel::Province => "tinh",
            ProcedureLevel::District => "huyen",
            ProcedureLevel::Commune => "xa",
            ProcedureLevel::Interlinked => "lien_thong",
        }
    }

    /// From the stored code, or from the label as published ("tỉnh", "Cấp xã").
    pub fn from_code(s: &str) -> Option<ProcedureLevel> {
        let f = crate::text::fold_vi(s.trim());
        let f = f.strip_prefix("cap ").unwrap_or(&f).replace(' ', "_");
        ProcedureLevel::ALL.into_iter().find(|l| l.code() == f)
    }
}

impl OnlineLevel {
    pub const ALL: [OnlineLevel; 3] = [
        OnlineLevel::Full,
        OnlineLevel::Partial,
        OnlineLevel::NotOnline,
    ];

    /// The stored code: `toan_trinh`, `mot_phan`, `khong`.
    pub fn code(self) -> &'static str {
        match self {
            OnlineLevel::Full => "toan_trinh",
            OnlineLevel::Partial => "mot_phan",
            OnlineLevel::NotOnline => "khong",
        }
    }

    /// From the stored code or the label ("Toàn trình", "một phần", "không", empty = không).
    pub fn from_code(s: &str) -> Option<OnlineLevel> {
        let f = crate::text::fold_vi(s.trim()).replace(' ', "_");
        if f.is_empty() {
            return Some(OnlineLevel::NotOnline);
        }
        OnlineLevel::ALL.into_iter().find(|l| l.code() == f)
    }
}

/// Label of a stored level code ("xa" → "xã"); unknown codes are shown as they are.
pub fn level_label(code: &str) -> String {
    ProcedureLevel::from_code(code)
        .map(|l| l.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// Label of a stored online-level code ("toan_trinh" → "Toàn trình").
pub fn online_label(code: &str) -> String {
    OnlineLevel::from_code(code)
        .map(|l| l.label().to_string())
        .unwrap_or_else(|| code.to_string())
}

/// A stable local key for a published procedure that has no national code (74 rows of
/// data/procedures are such): "DP-" and 8 hex digits of the SHA-256 of its folded name and
/// level, so that importing the same row again updates it instead of adding a copy.
pub fn provisional_code(name: &str, level: ProcedureLevel) -> String {
    use sha2::{Digest, Sha256};
    let key = format!(
        "{}|{}",
        crate::text::fold_vi(name)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        level.code()
    );
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02X}")).collect();
    format!("DP-{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_labels_are_read() {
        for l in ProcedureLevel::ALL {
            assert_eq!(ProcedureLevel::from_code(l.code()), Some(l));
            assert_eq!(ProcedureLevel::from_code(l.label()), Some(l));
        }
        assert_eq!(
            ProcedureLevel::from_code("Cấp xã"),
            Some(ProcedureLevel::Commune)
        );
        assert_eq!(ProcedureLevel::from_code("trung ương"), None);
        for l in OnlineLevel::ALL {
            assert_eq!(OnlineLevel::from_code(l.code()), Some(l));
        }
        assert_eq!(
            OnlineLevel::from_code("Toàn trình"),
            Some(OnlineLevel::Full)
        );
        assert_eq!(OnlineLevel::from_code(""), Some(OnlineLevel::NotOnline));
        assert_eq!(level_label("xa"), "xã");
        assert_eq!(online_label("mot_phan"), "Một phần");
        let a = provisional_code("Chuyển trường  đối với học sinh", ProcedureLevel::Province);
        assert_eq!(
            a,
            provisional_code("chuyen truong doi voi hoc sinh", ProcedureLevel::Province)
        );
        assert_ne!(
            a,
            provisional_code("Chuyển trường đối với học sinh", ProcedureLevel::Commune)
        );
        assert!(a.starts_with("DP-") && a.len() == 11);
    }
}
