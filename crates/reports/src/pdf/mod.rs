//! A paper as a PDF file: the layout in [`layout`] drawn with krilla, which embeds a
//! subset of each bundled font and a ToUnicode map, so the Vietnamese text can be searched
//! and copied.

mod layout;
mod text;

use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};

use crate::doc::OfficialDoc;
use layout::Op;
use text::Face;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("a bundled font could not be read")]
    Font,
    #[error("the page size is invalid")]
    PageSize,
    #[error("could not write the PDF: {0}")]
    Write(String),
}

fn fonts() -> Result<[Font; 3], PdfError> {
    let load = |face: Face| Font::new(face.data().into(), 0).ok_or(PdfError::Font);
    Ok([load(Face::Regular)?, load(Face::Bold)?, load(Face::Italic)?])
}

/// Number of pages the paper takes, without writing the PDF.
pub fn page_count(doc: &OfficialDoc) -> usize {
    layout::layout(doc).len()
}

/// The paper as PDF bytes: pages of the paper's size, fonts embedded.
pub fn to_pdf(doc: &OfficialDoc) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let (w, h) = doc.paper.size_pt();
    let mut document = Document::new();
    for page_ops in layout::layout(doc) {
        let settings = PageSettings::from_wh(w, h).ok_or(PdfError::PageSize)?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in page_ops.ops {
            match op {
                Op::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                } => {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill::default()));
                    surface.draw_text(
                        Point::from_xy(x, y),
                        fonts[face.index()].clone(),
                        size,
                        &text,
                        false,
                        TextDirection::LeftToRight,
                    );
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    dotted,
                } => {
                    let mut builder = PathBuilder::new();
                    builder.move_to(x1, y1);
                    builder.line_to(x2, y2);
                    let Some(path) = builder.finish() else {
                        continue;
                    };
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        width,
                        dash: dotted.then(|| StrokeDash {
                            array: vec![0.8, 1.8],
                            offset: 0.0,
                        }),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    let mut metadata = Metadata::new()
        .title(doc.title.clone())
        .language("vi".to_string())
        .creator("cchc".to_string());
    // The paper's own date, never the clock: the same paper gives the same bytes.
    if let Some((_, date)) = &doc.place_date {
        use chrono::Datelike;
        metadata = metadata.creation_date(
            krilla::metadata::DateTime::new(u16::try_from(date.year()).unwrap_or(1900))
                .month(date.month() as u8)
                .day(date.day() as u8),
        );
    }
    document.set_metadata(metadata);
    document
        .finish()
        .map_err(|e| PdfError::Write(e.to_string()))
}
