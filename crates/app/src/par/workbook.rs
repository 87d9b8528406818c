//! Importing a criteria set from the table of the decision's appendix: an Excel workbook
//! (first sheet) or a CSV file, read on the bounded reader pool like every untrusted
//! upload (`crate::reader`), parsed and checked by `domain::par::table`.

use domain::par::table::SetMeta;
use domain::par::{Points, UnitKind};
use serde::Deserialize;

use super::can_manage_sets;
use super::set::SetDetail;
use crate::{App, Caller, ServiceError};

/// The import form: the set's identity; the table comes as a file.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TableMeta {
    /// Stable code (A–Z, 0–9, _ and -); a code already stored gets a new version.
    pub code: String,
    pub title: String,
    /// department | district | commune
    pub unit_kind: String,
    pub applies_from_year: String,
    pub decision: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub decision_date: Option<String>,
    pub issuer: Option<String>,
    pub source: Option<String>,
    pub survey_points: Option<String>,
}

/// Rows of a CSV text (comma, semicolon or tab, quotes allowed), numbered from 1.
pub(crate) fn csv_rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, ServiceError> {
    let first = text.lines().next().unwrap_or("");
    let delim = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut r = csv_reader(text, delim);
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec =
            rec.map_err(|e| ServiceError::bad(format!("Dòng {}: CSV không hợp lệ ({e}).", i + 1)))?;
        out.push((i + 1, rec.iter().map(|s| s.trim().to_string()).collect()));
    }
    Ok(out)
}

fn csv_reader(text: &str, delim: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// Imports a set from a table file (.xlsx or .csv) and the form's identity fields.
pub async fn import_set_table(
    app: &App,
    caller: &Caller,
    meta: &TableMeta,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<SetDetail, ServiceError> {
    may_manage(caller)?;
    let mut c = domain::validate::Checker::new();
    let m = check_meta(&mut c, meta);
    if bytes.is_empty() {
        c.fail("file", "Chưa chọn tệp bảng tiêu chí (.xlsx hoặc .csv).");
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    let rows = table_rows(file_name, bytes).await?;
    let set = parse_rows(&m, &rows, false)?;
    super::set::store_new(app, caller, &set, "import", false).await
}

/// The rows an officer edited in the set editor (`/chi-so-cchc/bo-tieu-chi/{id}/sua`):
/// each (row number on the page, its eight cells in the order of
/// `domain::par::table::HEADER`); a row the officer deleted is left out by the caller.
pub type EditedRow = (usize, Vec<String>);

/// Saves the editor's rows as a new version of set `id`'s code: rows are put in code
/// order, with `sum_parents` each lĩnh vực and tiêu chí gets the sum of its items'
/// points, and the whole is checked like an import. The version a round opened with is
/// never changed.
pub async fn edit_set(
    app: &App,
    caller: &Caller,
    id: i64,
    meta: &TableMeta,
    mut rows: Vec<EditedRow>,
    sum_parents: bool,
) -> Result<SetDetail, ServiceError> {
    may_manage(caller)?;
    let current = store::par::set(&app.db, id).await?;
    let mut c = domain::validate::Checker::new();
    let m = check_meta(&mut c, meta);
    if m.id != current.code {
        c.fail(
            "code",
            format!(
                "Sửa bộ tiêu chí lưu phiên bản mới của mã {}; để tạo bộ khác, hãy nhập bảng với mã mới.",
                current.code
            ),
        );
    }
    rows.retain(|(_, r)| r.iter().any(|x| !x.trim().is_empty()));
    if rows.is_empty() {
        c.fail("rows", "Bộ tiêu chí phải có ít nhất một lĩnh vực.");
    }
    if !c.is_ok() {
        return Err(ServiceError::Invalid(c.errors));
    }
    domain::par::table::sort_by_code(&mut rows);
    let mut all = vec![(
        0,
        domain::par::table::HEADER
            .iter()
            .map(|h| h.to_string())
            .collect(),
    )];
    all.extend(rows);
    let set = parse_rows(&m, &all, sum_parents)?;
    super::set::store_new(app, caller, &set, "edit", current.demo).await
}

/// A set for the editor: its particulars and its rows (without the header) in the layout
/// [`edit_set`] takes back. Only for those who may edit sets.
pub async fn editable_set(
    app: &App,
    caller: &Caller,
    id: i64,
) -> Result<(SetDetail, Vec<Vec<String>>), ServiceError> {
    may_manage(caller)?;
    let detail = super::set::get_set(app, id).await?;
    let set = super::set_of(app, id).await?;
    let rows = domain::par::table::to_rows(&set)
        .into_iter()
        .skip(1)
        .collect();
    Ok((detail, rows))
}

fn may_manage(caller: &Caller) -> Result<(), ServiceError> {
    if can_manage_sets(&caller.principal) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "Chỉ Sở Nội vụ được nhập hoặc sửa bộ tiêu chí.".into(),
        ))
    }
}

/// The set's identity from the form, each field checked.
fn check_meta(c: &mut domain::validate::Checker, meta: &TableMeta) -> SetMeta {
    let code = c.required("code", "Mã bộ tiêu chí", &meta.code, 64);
    let title = c.required("title", "Tên bộ tiêu chí", &meta.title, 300);
    let unit_kind = UnitKind::parse(meta.unit_kind.trim());
    if unit_kind.is_none() {
        c.fail(
            "unit_kind",
            "Chọn loại đơn vị áp dụng (sở, ban, ngành; UBND cấp huyện; UBND cấp xã).",
        );
    }
    let year: i32 = meta.applies_from_year.trim().parse().unwrap_or(0);
    if !(2000..=2100).contains(&year) {
        c.fail("applies_from_year", "Năm bắt đầu áp dụng không hợp lệ.");
    }
    let decision = c.optional("decision", "Số quyết định", meta.decision.as_deref(), 60);
    let decision_date = meta
        .decision_date
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| c.date("decision_date", "Ngày quyết định", d))
        .map(|d| d.to_string());
    let issuer = c.optional("issuer", "Cơ quan ban hành", meta.issuer.as_deref(), 200);
    let source = c.optional("source", "Nguồn", meta.source.as_deref(), 500);
    let survey_points = match meta
        .survey_points
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => match Points::parse(s) {
            Ok(p) => Some(p),
            Err(e) => {
                c.fail("survey_points", e);
                None
            }
        },
        None => None,
    };
    SetMeta {
        id: code,
        title,
        unit_kind,
        applies_from_year: year,
        decision,
        decision_date,
        issuer,
        source,
        survey_points,
    }
}

/// Table rows to a checked set; the errors name their rows (`line.N`), the set-wide one
/// goes to `file`.
fn parse_rows(
    m: &SetMeta,
    rows: &[(usize, Vec<String>)],
    sum_parents: bool,
) -> Result<domain::par::CriteriaSet, ServiceError> {
    domain::par::table::parse_with(m, rows, sum_parents).map_err(|errs| {
        ServiceError::Invalid(
            errs.into_iter()
                .map(|(line, message)| domain::validate::FieldError {
                    field: if line == 0 {
                        "file".into()
                    } else {
                        format!("line.{line}")
                    },
                    message,
                })
                .collect(),
        )
    })
}

/// The rows of an uploaded table, numbered as the officer sees them: the first sheet of
/// a workbook (read on the reader pool, within its limits) or a CSV text.
pub(crate) async fn table_rows(
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<Vec<(usize, Vec<String>)>, ServiceError> {
    if crate::procedure::workbook::is_xlsx(file_name, &bytes) {
        crate::reader::run(move |budget| {
            let g = docparse::xlsx::first_sheet_with(&bytes, budget)
                .map_err(|e| ServiceError::invalid("file", e.to_string()))?;
            Ok(g.rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    (
                        g.first_row as usize + i + 1,
                        r.iter()
                            .map(|d| crate::procedure::workbook::cell_text(d, None))
                            .collect(),
                    )
                })
                .collect())
        })
        .await
    } else {
        let text = String::from_utf8(bytes).map_err(|_| {
            ServiceError::invalid("file", "Tệp phải là Excel (.xlsx) hoặc CSV UTF-8.")
        })?;
        csv_rows(&text)
    }
}

/// A set version as its table (CSV, UTF-8 with a byte-order mark so Excel reads the
/// diacritics), in the layout the table import reads back: export, edit, import again is
/// how the Sở Nội vụ edits a set (the import stores a new version). Returns (file name,
/// content).
pub async fn set_table_csv(app: &App, id: i64) -> Result<(String, Vec<u8>), ServiceError> {
    let row = store::par::set(&app.db, id).await?;
    let set = super::set_of(app, id).await?;
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for r in domain::par::table::to_rows(&set) {
        w.write_record(&r).map_err(ServiceError::internal)?;
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(w.into_inner().map_err(ServiceError::internal)?);
    Ok((
        format!("{}-v{}.csv", row.code.to_lowercase(), row.version),
        out,
    ))
}
