//! Thông báo kết luận kiểm tra as a paper (Nghị định 30/2020/NĐ-CP layout: the lead
//! body under its parent, the number, place and date, the title, the text, the
//! recipients and the signature of the head of the team): the issued notice once the
//! conclusion is issued, else the draft written from the findings so far, with a blank
//! number, marked "Dự thảo".

use reports::{Align, Block, Letterhead, OfficialDoc, Paper, Run, Signature};

use super::{InspectionDetail, draft_conclusion};
use crate::{App, ServiceError};
use domain::org::Principal;

/// The notice of inspection `id` for whoever may see the file.
pub async fn notice(state: &App, p: &Principal, id: i64) -> Result<OfficialDoc, ServiceError> {
    let d = super::detail(state, p, id).await?;
    let r = store::inspection::get(&state.db, id).await?;
    let (agency, parent) = match r.lead_agency_id {
        Some(lead) => {
            let a = store::agency::get(&state.db, lead).await?;
            // The governing body as letterheads print it: "UBND tỉnh Nghệ An".
            let parent = match a.parent_id {
                Some(pid) => store::agency::get(&state.db, pid)
                    .await?
                    .name
                    .replace("Ủy ban nhân dân", "UBND"),
                None => String::new(),
            };
            (a.name, parent)
        }
        None => (String::new(), String::new()),
    };
    Ok(doc(&d, agency, parent))
}

/// The paper of a detail read (pure: the caller has read the lead body's names).
pub fn doc(d: &InspectionDetail, agency: String, agency_parent: String) -> OfficialDoc {
    let i = &d.inspection;
    let issued = i.conclusion_number.is_some();
    let text = match (&d.conclusion_text, issued) {
        (Some(t), true) if !t.trim().is_empty() => t.clone(),
        _ => draft_conclusion(d),
    };
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            continue;
        }
        // "I. Ưu điểm", "II. Tồn tại, hạn chế": the section heads, bold.
        let head = line
            .split_once(". ")
            .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| "IVX".contains(c)));
        blocks.push(Block::Paragraph {
            runs: vec![if head {
                Run::bold(line)
            } else {
                Run::plain(line)
            }],
            align: Align::Left,
            indent: !head,
        });
    }
    let head_of_team = d
        .members
        .iter()
        .find(|m| m.role == "truong_doan")
        .map(|m| m.name.clone())
        .unwrap_or_default();
    blocks.push(Block::Space(1.0));
    blocks.push(Block::runs(vec![Run::bold("Nơi nhận:")]));
    blocks.push(Block::text(format!("- {};", i.target_name)));
    blocks.push(Block::text("- Thành viên Đoàn kiểm tra;"));
    blocks.push(Block::text("- Lưu: VT, hồ sơ kiểm tra."));
    blocks.push(Block::Signatures(vec![Signature::new(
        "TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN",
        None,
        // The name is filled in by hand on the draft.
        if issued { head_of_team } else { String::new() },
    )]));
    let mut subtitle = vec![Run::bold(format!(
        "Kết luận kiểm tra công tác cải cách hành chính tại {}",
        i.target_name
    ))];
    if !issued {
        subtitle.push(Run::italic("(Dự thảo)"));
    }
    OfficialDoc {
        paper: Paper::A4,
        letterhead: Letterhead {
            agency_parent,
            agency,
            number: Some(i.conclusion_number.clone().unwrap_or_default()),
        },
        place_date: Some((
            "Nghệ An".into(),
            i.conclusion_date.unwrap_or_else(domain::time::today),
        )),
        title: "THÔNG BÁO".into(),
        subtitle,
        blocks,
    }
}
