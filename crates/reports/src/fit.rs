//! Row heights for wrapped text. Excel stores row heights in the file and does not grow a
//! row to fit wrapped text on opening, nor does LibreOffice for a workbook written like
//! this, so the rows are sized here from an estimate of how the words wrap.

/// Points per line of 12 pt Times New Roman in a spreadsheet row.
const LINE_PT: f64 = 15.0;
const PADDING_PT: f64 = 4.0;

/// Width of a character in column-width units (the width of a digit) at 12 pt. Times is
/// proportional: capitals are wide, spaces narrow. Slightly generous so text never spills.
fn char_width(c: char) -> f64 {
    match c {
        ' ' => 0.5,
        'm' | 'w' | 'M' | 'W' => 1.5,
        'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ';' | ':' | '(' | ')' | '-' => 0.6,
        c if c.is_uppercase() => 1.45,
        c if c.is_ascii_digit() || c == '%' => 1.0,
        _ => 0.92,
    }
}

/// Lines the text takes in a column `width` characters wide, with font size `scale`
/// relative to 12 pt; explicit newlines start new lines.
pub fn lines(text: &str, width: f64, scale: f64) -> u32 {
    // One character of cell padding on each side.
    let room = (width - 1.0).max(1.0);
    let mut total = 0;
    for paragraph in text.split('\n') {
        let mut count = 1;
        let mut used = 0.0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let w: f64 = word.chars().map(char_width).sum::<f64>() * scale;
            let needed = if used > 0.0 {
                used + 0.5 * scale + w
            } else {
                w
            };
            if needed <= room || used == 0.0 {
                used = needed;
                // A word longer than the column breaks mid-word.
                while used > room {
                    count += 1;
                    used -= room;
                }
            } else {
                count += 1;
                used = w;
                while used > room {
                    count += 1;
                    used -= room;
                }
            }
        }
        total += count;
    }
    total.max(1)
}

/// Height in points of a body row whose cells hold these `(text, column width)` pairs.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    let most = cells
        .into_iter()
        .map(|(text, width)| lines(text, width, 1.0))
        .max()
        .unwrap_or(1);
    f64::from(most) * LINE_PT + PADDING_PT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(lines("Sở Tư pháp", 20.0, 1.0), 1);
        assert_eq!(lines("", 20.0, 1.0), 1);
    }

    #[test]
    fn long_text_wraps_and_newlines_count() {
        let text = "Ủy ban nhân dân huyện Con Cuông";
        assert_eq!(lines(text, 19.0, 1.0), 2);
        assert_eq!(lines(text, 60.0, 1.0), 1);
        assert_eq!(lines("Quá hạn 12 ngày\nĐã có báo cáo", 40.0, 1.0), 2);
        assert!(row_height([(text, 19.0), ("1", 6.0)]) > row_height([(text, 60.0)]));
    }

    #[test]
    fn a_word_wider_than_the_column_breaks() {
        assert!(lines("https://dichvucong.nghean.gov.vn/thu-tuc", 10.0, 1.0) >= 3);
    }
}
