//! Điểm — points of the PAR INDEX held as integer hundredths, so totals add up exactly.
//!
//! Provincial criteria sets give points to two decimals at most (0,25; 0,5; 1,5; 14,5:
//! Quyết định 2948/QĐ-BNV, and the provincial sets modelled on 876/QĐ-BNV). Totals and
//! indices are computed on integers; a float appears only when a number is written to
//! JSON, where it is exact to the hundredth.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number of points, in hundredths (`Points(150)` is 1,50 điểm). May be negative only
/// as a difference (points lost are written positive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Points(pub i64);

impl Points {
    pub const ZERO: Points = Points(0);

    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// Parses "1,25", "1.25", "2", " 0,5 ": at most two decimals, not negative, below
    /// one million. The message is Vietnamese, ready for the field.
    pub fn parse(s: &str) -> Result<Points, String> {
        let t = s.trim().replace(',', ".");
        if t.is_empty() {
            return Err("Chưa nhập điểm.".into());
        }
        if t.starts_with('-') {
            return Err("Điểm không được âm.".into());
        }
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t.as_str(), ""),
        };
        let bad = || format!("“{}” không phải là số điểm (ví dụ 1,25).", s.trim());
        if (int.is_empty() && frac.is_empty())
            || !int.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 2 {
            return Err("Điểm chỉ được có tối đa 2 chữ số thập phân.".into());
        }
        if int.len() > 6 {
            return Err(bad());
        }
        let i: i64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        if frac.len() == 1 {
            f *= 10;
        }
        Ok(Points(i * 100 + f))
    }

    /// From a number in a data file (YAML): exact to the hundredth or refused.
    pub fn from_f64(x: f64) -> Result<Points, String> {
        if !x.is_finite() || !(0.0..=1_000_000.0).contains(&x) {
            return Err(format!("{x} không phải là số điểm hợp lệ"));
        }
        let h = (x * 100.0).round();
        if (x * 100.0 - h).abs() > 1e-6 {
            return Err(format!("{x}: điểm chỉ được có tối đa 2 chữ số thập phân"));
        }
        Ok(Points(h as i64))
    }

    /// As a number for JSON (exact to the hundredth).
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Vietnamese writing: "1,25", "2", "0,5", "14,5".
    pub fn vn(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (i, f) = (a / 100, a % 100);
        if f == 0 {
            format!("{sign}{i}")
        } else if f % 10 == 0 {
            format!("{sign}{i},{}", f / 10)
        } else {
            format!("{sign}{i},{f:02}")
        }
    }

    /// Machine writing with a dot, as in the data files and CSV: "1.25", "2".
    pub fn dot(self) -> String {
        self.vn().replace(',', ".")
    }
}

impl std::ops::Add for Points {
    type Output = Points;
    fn add(self, o: Points) -> Points {
        Points(self.0 + o.0)
    }
}

impl std::ops::Sub for Points {
    type Output = Points;
    fn sub(self, o: Points) -> Points {
        Points(self.0 - o.0)
    }
}

impl std::ops::AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 += o.0;
    }
}

impl std::iter::Sum for Points {
    fn sum<I: Iterator<Item = Points>>(it: I) -> Points {
        Points(it.map(|p| p.0).sum())
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Points, D::Error> {
        let x = f64::deserialize(d)?;
        Points::from_f64(x).map_err(serde::de::Error::custom)
    }
}

/// Chỉ số = điểm đạt / điểm tối đa × 100, in hundredths of a percent, rounded half up
/// (the "2 decimals" of the published rankings: Thanh Hóa 600/QĐ-UBND, 81,33%). `None`
/// when nothing applies (max 0).
pub fn index_of(score: Points, max: Points) -> Option<i64> {
    if max.0 <= 0 {
        return None;
    }
    let num = score.0 as i128 * 10_000;
    let den = max.0 as i128;
    Some(((2 * num + den) / (2 * den)) as i64)
}

/// An index in hundredths of a percent written with two decimals: "81,33".
pub fn index_vn(h: i64) -> String {
    format!("{},{:02}", h / 100, h % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vietnamese_and_dot_decimals() {
        assert_eq!(Points::parse("1,25"), Ok(Points(125)));
        assert_eq!(Points::parse("1.5"), Ok(Points(150)));
        assert_eq!(Points::parse(" 2 "), Ok(Points(200)));
        assert_eq!(Points::parse(",5"), Ok(Points(50)));
        assert_eq!(Points::parse("0"), Ok(Points(0)));
        assert!(Points::parse("-1").unwrap_err().contains("âm"));
        assert!(Points::parse("1,255").unwrap_err().contains("2 chữ số"));
        assert!(Points::parse("abc").is_err());
        assert!(Points::parse("").is_err());
        assert!(Points::parse(".").is_err());
        assert!(Points::parse("1.2.3").is_err());
        assert!(Points::parse("9999999").is_err());
    }

    #[test]
    fn writes_like_a_decision() {
        assert_eq!(Points(125).vn(), "1,25");
        assert_eq!(Points(150).vn(), "1,5");
        assert_eq!(Points(1450).vn(), "14,5");
        assert_eq!(Points(200).vn(), "2");
        assert_eq!(Points(5).vn(), "0,05");
        assert_eq!(Points(150).dot(), "1.5");
    }

    #[test]
    fn yaml_numbers_must_be_exact() {
        assert_eq!(Points::from_f64(0.25), Ok(Points(25)));
        assert_eq!(Points::from_f64(14.5), Ok(Points(1450)));
        assert!(Points::from_f64(0.125).is_err());
        assert!(Points::from_f64(-1.0).is_err());
    }

    #[test]
    fn index_has_two_decimals_rounded_half_up() {
        // Thanh Hóa 600/QĐ-UBND: Ban Dân tộc 68,32 of an applicable 84,00 → 81,33 %.
        assert_eq!(index_of(Points(6832), Points(8400)), Some(8133));
        assert_eq!(index_of(Points(100), Points(300)), Some(3333));
        assert_eq!(index_of(Points(200), Points(300)), Some(6667));
        assert_eq!(index_of(Points(0), Points(0)), None);
        assert_eq!(index_vn(8133), "81,33");
        assert_eq!(index_vn(10000), "100,00");
    }
}
