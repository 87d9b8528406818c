//! Vietnamese text helpers shared by every layer.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalise to NFC, the form every stored string uses.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Fold Vietnamese text for search: NFD, drop combining marks, đ/Đ → d, lower case.
/// "Cấp giấy phép xây dựng" → "cap giay phep xay dung".
pub fn fold_vi(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_and_d() {
        assert_eq!(fold_vi("Cấp giấy phép xây dựng"), "cap giay phep xay dung");
        assert_eq!(fold_vi("ĐĂNG KÝ Đất đai"), "dang ky dat dai");
        assert_eq!(fold_vi("Nghệ An"), "nghe an");
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let nfd = "Nghe\u{302}\u{323} An";
        assert_eq!(nfc(nfd), "Nghệ An");
    }
}
