//! The bundled fonts, their glyph widths, and line breaking.
//!
//! Liberation Serif (SIL OFL 1.1, `fonts/LICENSE`) has the metrics of Times New Roman,
//! the font of Vietnamese official papers, and the precomposed Vietnamese letters
//! (Latin Extended Additional), so "Nguyễn Thị Hằng" needs no shaping beyond one glyph a
//! letter.

use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub(crate) static REGULAR: &[u8] = include_bytes!("../../fonts/LiberationSerif-Regular.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../../fonts/LiberationSerif-Bold.ttf");
pub(crate) static ITALIC: &[u8] = include_bytes!("../../fonts/LiberationSerif-Italic.ttf");

/// Distance from the top of a line box to the baseline, in ems (Liberation Serif's ascent
/// is 0.891 em).
pub(crate) const ASCENT: f32 = 0.891;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    /// No bold italic is bundled: bold wins.
    pub(crate) fn of(bold: bool, italic: bool) -> Face {
        match (bold, italic) {
            (true, _) => Face::Bold,
            (false, true) => Face::Italic,
            (false, false) => Face::Regular,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn data(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
            Face::Italic => ITALIC,
        }
    }
}

/// Advance widths in ems of the characters of one face, read once.
struct Widths {
    /// Indexed by code point for U+0000–U+1FFF, which covers Vietnamese.
    table: Vec<f32>,
    fallback: f32,
}

impl Widths {
    fn read(data: &'static [u8]) -> Widths {
        let fallback = 0.5;
        let Ok(font) = FontRef::new(data) else {
            return Widths {
                table: Vec::new(),
                fallback,
            };
        };
        let upem = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        let table = (0u32..0x2000)
            .map(|cp| {
                charmap
                    .map(cp)
                    .and_then(|gid| metrics.advance_width(gid))
                    .map_or(fallback, |w| w / upem)
            })
            .collect();
        Widths { table, fallback }
    }

    fn of(&self, c: char) -> f32 {
        self.table.get(c as usize).copied().unwrap_or(self.fallback)
    }
}

fn widths(face: Face) -> &'static Widths {
    static TABLES: OnceLock<[Widths; 3]> = OnceLock::new();
    &TABLES.get_or_init(|| {
        [
            Widths::read(REGULAR),
            Widths::read(BOLD),
            Widths::read(ITALIC),
        ]
    })[face.index()]
}

/// Width of `text` in points.
pub(crate) fn width(face: Face, text: &str, size: f32) -> f32 {
    let table = widths(face);
    text.chars().map(|c| table.of(c)).sum::<f32>() * size
}

/// Text in one face placed at `x` from the start of its line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Piece {
    pub face: Face,
    pub text: String,
    pub x: f32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub pieces: Vec<Piece>,
    pub width: f32,
}

impl Line {
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        self.pieces.iter().map(|p| p.text.as_str()).collect()
    }
}

/// A word: consecutive non-space characters, possibly in several faces.
struct Word {
    parts: Vec<(Face, String)>,
    space_before: bool,
    /// A hard line break comes before this word.
    break_before: bool,
}

fn words(runs: &[(Face, &str)]) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut in_word = false;
    let mut space = false;
    let mut hard_break = false;
    for (face, text) in runs {
        for c in text.chars() {
            match c {
                '\n' => {
                    hard_break = true;
                    space = false;
                    in_word = false;
                }
                c if c.is_whitespace() => {
                    space = true;
                    in_word = false;
                }
                c => {
                    if !in_word {
                        out.push(Word {
                            parts: Vec::new(),
                            space_before: space,
                            break_before: hard_break,
                        });
                        space = false;
                        hard_break = false;
                        in_word = true;
                    }
                    if let Some(word) = out.last_mut() {
                        match word.parts.last_mut() {
                            Some((f, s)) if *f == *face => s.push(c),
                            _ => word.parts.push((*face, c.to_string())),
                        }
                    }
                    // A line may break after a hyphen inside a long code.
                    if c == '-' {
                        in_word = false;
                    }
                }
            }
        }
    }
    if hard_break {
        // A trailing newline still ends with an empty line.
        out.push(Word {
            parts: Vec::new(),
            space_before: false,
            break_before: true,
        });
    }
    out
}

struct Breaker {
    lines: Vec<Line>,
    cur: Line,
    size: f32,
    max: f32,
}

impl Breaker {
    fn new_line(&mut self) {
        let done = std::mem::take(&mut self.cur);
        self.lines.push(done);
    }

    /// Appends `text` at the end of the current line, after a gap of `gap` points that
    /// holds one space when `gap > 0`.
    fn push(&mut self, face: Face, text: &str, gap: f32) {
        let x = self.cur.width + gap;
        let w = width(face, text, self.size);
        match self.cur.pieces.last_mut() {
            Some(last) if last.face == face => {
                if gap > 0.0 {
                    last.text.push(' ');
                }
                last.text.push_str(text);
            }
            last => {
                // The space goes with the text before it, so extracted text keeps it.
                if let Some(last) = last.filter(|_| gap > 0.0) {
                    last.text.push(' ');
                }
                self.cur.pieces.push(Piece {
                    face,
                    text: text.to_string(),
                    x,
                });
            }
        }
        self.cur.width = x + w;
    }

    /// Places a word wider than the whole line, breaking it between letters.
    fn push_broken(&mut self, parts: &[(Face, String)]) {
        for (face, text) in parts {
            for c in text.chars() {
                let mut buf = [0u8; 4];
                let s = c.encode_utf8(&mut buf);
                let w = width(*face, s, self.size);
                if self.cur.width + w > self.max && !self.cur.pieces.is_empty() {
                    self.new_line();
                }
                self.push(*face, s, 0.0);
            }
        }
    }
}

/// Breaks styled text into lines at most `max` points wide (the first line `indent`
/// narrower), at spaces, and inside a word only when the word alone is too wide.
pub(crate) fn wrap(runs: &[(Face, &str)], size: f32, max: f32, indent: f32) -> Vec<Line> {
    let mut b = Breaker {
        lines: Vec::new(),
        cur: Line {
            pieces: Vec::new(),
            width: indent,
        },
        size,
        max: max.max(size),
    };
    for word in words(runs) {
        if word.break_before {
            b.new_line();
        }
        if word.parts.is_empty() {
            continue;
        }
        let w: f32 = word.parts.iter().map(|(f, t)| width(*f, t, size)).sum();
        let on_line = !b.cur.pieces.is_empty();
        let gap = if word.space_before && on_line {
            width(word.parts[0].0, " ", size)
        } else {
            0.0
        };
        if on_line && b.cur.width + gap + w > b.max {
            b.new_line();
            if w > b.max {
                b.push_broken(&word.parts);
                continue;
            }
            for (face, text) in &word.parts {
                b.push(*face, text, 0.0);
            }
        } else if !on_line && b.cur.width + w > b.max {
            b.push_broken(&word.parts);
        } else {
            for (i, (face, text)) in word.parts.iter().enumerate() {
                b.push(*face, text, if i == 0 { gap } else { 0.0 });
            }
        }
    }
    b.new_line();
    b.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_have_real_widths() {
        // A missing glyph would fall back to 0.5 em for every letter.
        let plain = width(Face::Regular, "a", 10.0);
        let marked = width(Face::Regular, "ằ", 10.0);
        assert!((plain - marked).abs() < 0.01, "{plain} vs {marked}");
        assert!(width(Face::Bold, "HỒ SƠ", 12.0) > width(Face::Regular, "HỒ SƠ", 12.0));
        assert!(width(Face::Regular, "m", 10.0) > width(Face::Regular, "i", 10.0));
    }

    #[test]
    fn wraps_at_spaces_and_keeps_styles() {
        let runs = [
            (Face::Regular, "Tiếp nhận hồ sơ của: "),
            (Face::Bold, "Nguyễn Thị Hằng"),
        ];
        let one = wrap(&runs, 11.0, 1000.0, 0.0);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].text(), "Tiếp nhận hồ sơ của: Nguyễn Thị Hằng");
        assert_eq!(one[0].pieces.len(), 2);
        assert!(one[0].pieces[1].x > width(Face::Regular, "Tiếp nhận hồ sơ của:", 11.0));

        let narrow = wrap(&runs, 11.0, 80.0, 0.0);
        assert!(narrow.len() >= 3);
        assert!(narrow.iter().all(|l| l.width <= 80.0));
    }

    #[test]
    fn newlines_break_and_long_words_split() {
        assert_eq!(wrap(&[(Face::Regular, "a\nb")], 10.0, 100.0, 0.0).len(), 2);
        let url = "https://dichvucong.nghean.gov.vn/thu-tuc-hanh-chinh";
        let lines = wrap(&[(Face::Regular, url)], 10.0, 60.0, 0.0);
        assert!(lines.len() >= 3);
        assert_eq!(lines.iter().map(Line::text).collect::<String>(), url);
    }
}
