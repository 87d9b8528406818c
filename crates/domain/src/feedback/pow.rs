//! The public form's proof of work, instead of an outside captcha service: the page gives
//! a challenge (the browser's form token and the time the form was shown); the browser
//! finds a nonce such that SHA-256("challenge:nonce") starts with [`BITS`] zero bits (a
//! few thousand hashes: a blink for one person, a cost for a flood) and sends it with the
//! form. A form sent sooner than [`MIN_SECONDS`] after it was shown, or older than
//! [`MAX_SECONDS`], is refused too. The API is protected by the rate limits instead.

use sha2::{Digest, Sha256};

/// Leading zero bits the hash must have.
pub const BITS: u32 = 14;
/// A person takes longer than this to fill the form.
pub const MIN_SECONDS: i64 = 3;
/// A form shown longer ago than this must be reloaded.
pub const MAX_SECONDS: i64 = 4 * 3600;

/// The challenge of a form shown at `shown_at` (Unix seconds) to the browser holding
/// `token`.
pub fn challenge(token: &str, shown_at: i64) -> String {
    format!("{token}.{shown_at}")
}

fn leading_zero_bits(h: &[u8]) -> u32 {
    let mut n = 0;
    for b in h {
        if *b == 0 {
            n += 8;
        } else {
            n += b.leading_zeros();
            break;
        }
    }
    n
}

/// Whether `nonce` solves `challenge`.
pub fn solves(challenge: &str, nonce: &str) -> bool {
    if nonce.is_empty() || nonce.len() > 20 {
        return false;
    }
    let h = Sha256::digest(format!("{challenge}:{nonce}").as_bytes());
    leading_zero_bits(&h) >= BITS
}

/// Why a form is refused, or `Ok` (`now` and `shown_at` in Unix seconds).
pub fn check(token: &str, shown_at: i64, nonce: &str, now: i64) -> Result<(), &'static str> {
    let age = now - shown_at;
    if age < MIN_SECONDS {
        return Err("Biểu mẫu được gửi quá nhanh; vui lòng kiểm tra nội dung rồi gửi lại.");
    }
    if age > MAX_SECONDS {
        return Err("Biểu mẫu đã mở quá lâu; vui lòng tải lại trang rồi gửi lại.");
    }
    if !solves(&challenge(token, shown_at), nonce) {
        return Err(
            "Trình duyệt chưa hoàn tất bước xác minh chống gửi tự động; vui lòng bật JavaScript và gửi lại.",
        );
    }
    Ok(())
}

/// A solution, by counting (what the page's script does; used by tests and the demo).
pub fn solve(challenge: &str) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| solves(challenge, n))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_solved_challenge_passes_in_its_window() {
        let c = challenge("abc", 1_000);
        let n = solve(&c);
        assert!(solves(&c, &n));
        assert!(check("abc", 1_000, &n, 1_010).is_ok());
        assert!(check("abc", 1_000, &n, 1_001).is_err(), "too fast");
        assert!(
            check("abc", 1_000, &n, 1_000 + MAX_SECONDS + 1).is_err(),
            "too old"
        );
        assert!(check("abd", 1_000, &n, 1_010).is_err(), "another browser's");
        assert!(!solves(&c, ""));
    }
}
