//! The official papers of a dossier (TT 01/2018/TT-VPCP until 30/6/2025, TT 03/2025/TT-VPCP
//! from 1/7/2025, chosen by the reception date), filled from the stored facts and served
//! as a print-ready HTML page or a PDF: `GET /ho-so/{id}/mau/{kind}[?dinh-dang=pdf]`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use reports::{
    Apology, Applicant, ControlSheet, Desk, Form, HandOver, Receipt, Refusal, Signer, StepResult,
    StopNotice, SupplementRequest,
};
use serde::Deserialize;

use super::{channel_label, local};
use crate::auth::CurrentUser;
use crate::extract::Q;
use crate::routes::parse_id;
use crate::{AppError, AppState};

#[derive(Deserialize, Default)]
pub struct FormQuery {
    #[serde(rename = "dinh-dang")]
    format: Option<String>,
}

/// The forms a dossier can print, by URL slug.
pub const KINDS: [(&str, &str); 6] = [
    ("phieu-tiep-nhan", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    ("yeu-cau-bo-sung", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    ("tu-choi", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    ("xin-loi", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ("dung-xu-ly", "Thông báo dừng giải quyết hồ sơ"),
    ("kiem-soat", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
];

pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, kind)): Path<(String, String)>,
    Q(q): Q<FormQuery>,
) -> Result<Response, AppError> {
    let papers = super::papers(&state, &user.principal, parse_id(&id)?).await?;
    let (d, events) = (papers.dossier, papers.events);
    let parent = papers
        .desk_parent
        .unwrap_or_else(|| "UBND TỈNH NGHỆ AN".into());
    let desk = Desk {
        agency_parent: parent.to_uppercase(),
        agency: d.agency_name.to_uppercase(),
        place: "Nghệ An".into(),
    };
    let applicant = Applicant {
        name: d.applicant_name.clone(),
        address: d.applicant_address.clone().unwrap_or_default(),
        phone: d.applicant_phone.clone().unwrap_or_default(),
        email: d.applicant_email.clone().unwrap_or_default(),
    };
    let received = local(d.received_at.unwrap_or(d.submitted_at));
    let appointment = d.appointment_at.map(local).unwrap_or(received);
    let officer = |k: &str| {
        events
            .iter()
            .rev()
            .find(|e| e.kind == k)
            .and_then(|e| e.full_name.clone())
            .unwrap_or_default()
    };
    let reason_of = |k: &str| {
        events
            .iter()
            .rev()
            .find(|e| e.kind == k)
            .map(|e| (e.note.clone(), local(e.at)))
    };
    let limit_text = match papers.procedure.limit {
        Some(domain::dossier::WorkingLimit::Days(n)) => format!("{n} ngày làm việc"),
        Some(domain::dossier::WorkingLimit::Hours(n)) => format!("{n} giờ làm việc"),
        None => "theo quy định".into(),
    };
    let missing =
        |what: &str| AppError::Conflict(format!("Hồ sơ chưa có {what}, chưa lập được phiếu này."));
    let form = match kind.as_str() {
        "phieu-tiep-nhan" => {
            let docs = &papers.documents;
            // The documents ticked on the checklist, as published; without a checklist
            // (older dossiers, online submissions) the files received.
            let listed: Vec<reports::SubmittedPaper> = papers
                .received
                .iter()
                .map(|r| {
                    let (copies, kind) = paper_form(&r.copies);
                    reports::SubmittedPaper {
                        name: r.name.clone(),
                        copies,
                        kind,
                    }
                })
                .collect();
            let files = docs.iter().map(|f| reports::SubmittedPaper {
                name: f.name.clone(),
                copies: 1,
                kind: if f.digitized {
                    "Bản số hóa".into()
                } else {
                    "Bản điện tử".into()
                },
            });
            Form::Receipt(Receipt {
                desk,
                dossier_code: d.code.clone(),
                applicant,
                procedure_name: d.tthc_name.clone(),
                papers: if listed.is_empty() {
                    files.collect()
                } else {
                    listed
                },
                sets: 1,
                processing_time: limit_text,
                received_at: received,
                appointment_at: appointment,
                return_channel: channel_label(d.channel).into(),
                receiver_name: officer("receive"),
            })
        }
        "yeu-cau-bo-sung" => {
            let (reason, at) =
                reason_of("request_supplement").ok_or_else(|| missing("yêu cầu bổ sung"))?;
            Form::SupplementRequest(SupplementRequest {
                desk,
                dossier_code: d.code.clone(),
                applicant,
                procedure_name: d.tthc_name.clone(),
                received_at: received,
                requested_on: at.date(),
                items: reason.lines().map(str::to_string).collect(),
                reason: reason.clone(),
                contact: d.agency_name.clone(),
                officer_name: officer("request_supplement"),
            })
        }
        "tu-choi" => {
            let (reason, at) =
                reason_of("refuse_at_intake").ok_or_else(|| missing("quyết định từ chối"))?;
            Form::Refusal(Refusal {
                desk,
                dossier_code: d.code.clone(),
                applicant,
                procedure_name: d.tthc_name.clone(),
                refused_on: at.date(),
                reasons: vec![reason],
                officer_name: officer("refuse_at_intake"),
            })
        }
        "xin-loi" => {
            let (_, at) = reason_of("apology").ok_or_else(|| missing("phiếu xin lỗi"))?;
            Form::Apology(Apology {
                desk,
                number: String::new(),
                dossier_code: d.code.clone(),
                applicant,
                procedure_name: d.tthc_name.clone(),
                received_at: received,
                old_date: appointment,
                new_date: d.rescheduled_at.map(local).unwrap_or(appointment),
                reason: d.delay_reason.clone().unwrap_or_default(),
                issued_on: at.date(),
                signer: Signer {
                    title: "THỦ TRƯỞNG CƠ QUAN".into(),
                    name: String::new(),
                },
            })
        }
        "dung-xu-ly" => {
            let (reason, at) = reason_of("stop").ok_or_else(|| missing("quyết định dừng xử lý"))?;
            Form::StopNotice(StopNotice {
                desk,
                number: String::new(),
                dossier_code: d.code.clone(),
                applicant,
                procedure_name: d.tthc_name.clone(),
                received_at: received,
                reason,
                issued_on: at.date(),
                signer: Signer {
                    title: "THỦ TRƯỞNG CƠ QUAN".into(),
                    name: String::new(),
                },
            })
        }
        "kiem-soat" => {
            let mut rows = Vec::new();
            let mut prev_giver = String::new();
            for e in &events {
                let giver = e.full_name.clone().unwrap_or_default();
                let result = match (e.step_late(), d.appointment_at, e.kind.as_str()) {
                    (Some(late), _, _) => Some(if late {
                        StepResult::Late
                    } else {
                        StepResult::OnTime
                    }),
                    (None, Some(a), "finish_processing") => {
                        Some(if e.at.date_naive() < a.date_naive() {
                            StepResult::Early
                        } else if e.at <= a {
                            StepResult::OnTime
                        } else {
                            StepResult::Late
                        })
                    }
                    _ => None,
                };
                rows.push(HandOver {
                    agency: e
                        .to_agency_name
                        .clone()
                        .or(e.agency_name.clone())
                        .unwrap_or_default(),
                    at: local(e.at),
                    giver: if prev_giver.is_empty() {
                        giver.clone()
                    } else {
                        prev_giver.clone()
                    },
                    receiver: e.to_user_name.clone().unwrap_or_else(|| giver.clone()),
                    result,
                    note: format!(
                        "{}{}",
                        domain::dossier::event_title(&e.kind),
                        if e.note.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", e.note)
                        }
                    ),
                });
                prev_giver = giver;
            }
            Form::ControlSheet(ControlSheet {
                desk,
                dossier_code: d.code.clone(),
                applicant_name: d.applicant_name.clone(),
                procedure_name: d.tthc_name.clone(),
                received_at: received,
                appointment_at: appointment,
                lead_agency: d
                    .handling_agency_name
                    .clone()
                    .unwrap_or_else(|| d.agency_name.clone()),
                coordinating: Vec::new(),
                rows,
            })
        }
        _ => return Err(AppError::NotFound),
    };
    let (_, doc) = reports::form_for(&form, received.date()).map_err(|e| {
        AppError::Conflict(format!(
            "Không có mẫu phiếu này cho hồ sơ tiếp nhận ngày {}: {e}",
            received.format("%d/%m/%Y")
        ))
    })?;
    if q.format.as_deref() == Some("pdf") {
        let bytes = reports::to_pdf(&doc).map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
        let name = format!("{}-{}.pdf", kind, d.code);
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    crate::routes::file::disposition("inline", &name),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Html(reports::to_html(&doc)).into_response())
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    tu: Option<String>,
    den: Option<String>,
    #[serde(rename = "dinh-dang")]
    format: Option<String>,
}

/// `GET /ho-so/so-theo-doi?tu=01/10/2023&den=31/10/2023[&dinh-dang=pdf]` — the register
/// (sổ theo dõi hồ sơ, TT 01/2018 Mẫu 06 / TT 03/2025 Mẫu 07) of the caller's desk: the
/// dossiers it received in the period, with hand-over, result and return times. The form
/// set is the one in force at the period's end.
pub async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    Q(q): Q<RegisterQuery>,
) -> Result<Response, AppError> {
    let mut c = domain::validate::Checker::new();
    let today = local(chrono::Utc::now()).date();
    let from = match q.tu.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => c.date("tu", "Từ ngày", s),
        None => today.with_day(1),
    };
    let to = match q.den.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => c.date("den", "Đến ngày", s),
        None => Some(today),
    };
    if !c.is_ok() {
        return Err(AppError::Validation(c.errors));
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(AppError::bad("Kỳ không hợp lệ."));
    };
    if to < from || (to - from).num_days() > 92 {
        return Err(AppError::bad(
            "Kỳ của sổ theo dõi tối đa 3 tháng, đến ngày không trước từ ngày.",
        ));
    }
    let register = super::register(&state, &user.principal, from, to).await?;
    let parent = register
        .desk_parent
        .unwrap_or_else(|| "UBND TỈNH NGHỆ AN".into());
    let mut rows = Vec::with_capacity(register.rows.len());
    for (d, events) in &register.rows {
        let at = |k: &str| events.iter().find(|e| e.kind == k).map(|e| local(e.at));
        let received = local(d.received_at.unwrap_or(d.submitted_at));
        rows.push(reports::RegisterRow {
            dossier_code: d.code.clone(),
            procedure_name: d.tthc_name.clone(),
            sets: 1,
            applicant_name: d.applicant_name.clone(),
            contact: [d.applicant_address.clone(), d.applicant_phone.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            lead_agency: d.handling_agency_name.clone().unwrap_or_default(),
            received_at: received,
            appointment_at: d.appointment_at.map(local).unwrap_or(received),
            transferred_at: at("assign").or(at("transfer")),
            result_at: d.finished_at.map(local),
            returned_at: d.returned_at.map(local),
            note: d.status.label().to_string(),
        });
    }
    let form = Form::Register(reports::Register {
        desk: Desk {
            agency_parent: parent.to_uppercase(),
            agency: register.desk.name.to_uppercase(),
            place: "Nghệ An".into(),
        },
        from,
        to,
        rows,
    });
    let (_, doc) = reports::form_for(&form, to).map_err(|e| AppError::Conflict(e.to_string()))?;
    if q.format.as_deref() == Some("pdf") {
        let bytes = reports::to_pdf(&doc).map_err(|e| AppError::Internal(format!("pdf: {e}")))?;
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    crate::routes::file::disposition("inline", "so-theo-doi-ho-so.pdf"),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Html(reports::to_html(&doc)).into_response())
}

/// The receipt's "Hình thức" and "Số lượng" from a published quantity such as "1 bản
/// chính", "01 bản chính, 01 bản sao" or "Bản sao: 2": the number of papers and their form.
fn paper_form(copies: &str) -> (u32, String) {
    let t = copies.trim();
    if t.is_empty() {
        return (1, "Bản chính".into());
    }
    let n: u32 = t
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|x| x.parse::<u32>().ok())
        .sum();
    let low = t.to_lowercase();
    let kind = match (low.contains("chính"), low.contains("sao")) {
        (true, true) => "Bản chính, bản sao",
        (false, true) => "Bản sao",
        _ => "Bản chính",
    };
    (n.max(1), kind.into())
}
