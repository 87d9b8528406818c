//! Removing personal data from what is published: a published feedback and its answer
//! never show the sender's name, phone, e-mail or address (Nghị định 13/2023/NĐ-CP on
//! personal data protection), nor any phone number, e-mail address or ID number written
//! in the text.

/// What replaces a removed piece.
pub const MASK: &str = "***";

/// `text` with every occurrence of each of `personal` (case-insensitive, at least three
/// characters), every e-mail address and every run of eight or more digits (phones, ID
/// numbers; spaces, dots and dashes inside the run allowed; not one glued to a letter,
/// which is a code) replaced by [`MASK`].
pub fn redact(text: &str, personal: &[&str]) -> String {
    let mut out = text.to_string();
    for p in personal {
        let p = p.trim();
        if p.chars().count() < 3 {
            continue;
        }
        out = replace_ci(&out, p);
    }
    let out = mask_emails(&out);
    mask_digit_runs(&out)
}

fn replace_ci(text: &str, needle: &str) -> String {
    let lower_text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let orig: Vec<char> = text.chars().collect();
    if lower_text.len() != orig.len() {
        // Lower-casing changed the length (rare scripts): fall back to an exact match.
        return text.replace(needle, MASK);
    }
    let n: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < orig.len() {
        if i + n.len() <= orig.len() && lower_text[i..i + n.len()] == n[..] {
            out.push_str(MASK);
            i += n.len();
        } else {
            out.push(orig[i]);
            i += 1;
        }
    }
    out
}

fn mask_emails(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|w| {
            let core = w.trim_end();
            let token = core.trim_matches(|c: char| ",;:()<>\"'".contains(c));
            if let Some((a, b)) = token.split_once('@')
                && !a.is_empty()
                && b.contains('.')
            {
                w.replace(token, MASK)
            } else {
                w.to_string()
            }
        })
        .collect()
}

fn mask_digit_runs(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i + 1;
            let mut digits = usize::from(chars[i].is_ascii_digit());
            while j < chars.len() {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    j += 1;
                } else if " .-".contains(chars[j])
                    && chars.get(j + 1).is_some_and(char::is_ascii_digit)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // A run glued to a letter is part of a code (a dossier's "H40-230901-0001"),
            // not a phone or an ID number.
            let in_code = i > 0 && chars[i - 1].is_ascii_alphabetic();
            if digits >= 8 && !in_code {
                out.push_str(MASK);
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_goes_dates_and_codes_stay() {
        let t = "Tôi là Nguyễn Văn An, SĐT 0912 345 678, email an.nguyen@gmail.com, CCCD 040123456789. \
                 Hồ sơ 000.00.12.H40-230901-0001 nộp ngày 05/09/2023 chưa có kết quả; nguyễn văn an.";
        let r = redact(t, &["Nguyễn Văn An", "0912345678", "an.nguyen@gmail.com"]);
        assert!(
            !r.contains("Nguyễn Văn An") && !r.contains("nguyễn văn an"),
            "{r}"
        );
        assert!(
            !r.contains("0912") && !r.contains("gmail") && !r.contains("040123456789"),
            "{r}"
        );
        assert!(r.contains("05/09/2023"), "{r}");
        assert!(r.contains("000.00.12.H40-230901-0001"), "{r}");
        assert!(r.contains("chưa có kết quả"));
        assert_eq!(
            redact("Ông An ở xã", &["An"]),
            "Ông An ở xã",
            "too short to mask safely"
        );
        assert_eq!(redact("gọi +84912345678 nhé", &[]), "gọi *** nhé");
    }
}
