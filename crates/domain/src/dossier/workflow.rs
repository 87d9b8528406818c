//! The guided processing of a dossier: which actions the caller can take next, each its
//! own button and form, following the procedure's internal process (quy trình nội bộ),
//! and the rule that a result is issued only after the leader's signing step.
//!
//! Law: the competent unit appraises the dossier and its leader decides and signs the
//! result (NĐ 61/2018/NĐ-CP Điều 19 khoản 3, Điều 20; TT 01/2018/TT-VPCP Điều 13 — the
//! electronic process records each step's actor and time). The internal process of a
//! procedure is approved by the Chủ tịch UBND tỉnh (seed CV 6219 item: "quy trình nội bộ
//! trình Chủ tịch UBND tỉnh phê duyệt và thiết lập quy trình điện tử"); until it is entered,
//! the default process of `crate::procedure::process::default_process` applies.
//!
//! A dossier's `step_seq` is the index of its current step in the process (0 = the desk's
//! reception). Moving to the next step is `assign` (inside the handling unit) or `transfer`
//! (to another agency, liên thông).

use serde::Serialize;

use super::status::DossierStatus;
use super::transition::EventKind;

/// The role that signs: a step with it is a signing step.
pub const SIGNER_ROLE: &str = "lanh_dao_don_vi";

/// The index of the signing step of a process given by its step roles: the last step
/// whose role is the leader's.
pub fn signing_step(roles: &[&str]) -> Option<usize> {
    roles.iter().rposition(|r| *r == SIGNER_ROLE)
}

/// The current step index, clamped to the process (older dossiers may have moved through
/// more hand-overs than the process has steps).
fn current(roles: &[&str], step_seq: i32) -> usize {
    usize::try_from(step_seq.max(0))
        .unwrap_or(0)
        .min(roles.len().saturating_sub(1))
}

/// Why the caller may not take `kind` at this step of the process, if they may not:
/// - a result is issued only at or after the signing step (it cannot be skipped);
/// - leaving the signing step — finishing there, or moving past it — is the signer's.
pub fn step_refusal(
    kind: EventKind,
    roles: &[&str],
    step_seq: i32,
    is_signer: bool,
) -> Option<&'static str> {
    let moves = matches!(
        kind,
        EventKind::Assign | EventKind::Transfer | EventKind::FinishProcessing
    );
    if !moves || roles.is_empty() {
        return None;
    }
    let at = current(roles, step_seq);
    let sign = signing_step(roles);
    if kind == EventKind::FinishProcessing
        && let Some(s) = sign
        && at < s
    {
        return Some(
            "Hồ sơ chưa qua bước ký duyệt của lãnh đạo: chuyển hồ sơ theo quy trình đến bước ký duyệt trước khi ghi nhận kết quả.",
        );
    }
    if kind == EventKind::FinishProcessing && sign.is_none() && at == 0 && roles.len() > 1 {
        return Some("Hồ sơ chưa được phân công xử lý theo quy trình.");
    }
    if Some(at) == sign && step_seq >= 0 && !is_signer && (step_seq as usize) <= at {
        return Some(
            "Bước ký duyệt do lãnh đạo cơ quan giải quyết thực hiện; chuyên viên không ký thay.",
        );
    }
    None
}

/// What the caller can do, from the page's point of view.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caps {
    /// Works the desk where the dossier was received.
    pub desk: bool,
    /// Officer or head of the handling unit.
    pub process: bool,
    /// Leader of the handling unit (may sign).
    pub sign: bool,
}

/// One action offered on the dossier page: its own button and form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offered {
    /// The event code posted (`dossier_event.kind`).
    pub event: &'static str,
    /// The button's label.
    pub label: String,
    /// What the form asks for.
    pub reason: Need,
    /// Pick the officer who will handle the next step.
    pub person: bool,
    /// Pick another agency (liên thông).
    pub agency: bool,
    /// Result number and result files.
    pub result: bool,
    /// Files (supplement documents, draft result).
    pub files: bool,
    /// The main next step of the process (drawn as the primary button).
    pub primary: bool,
}

/// Whether a form asks for a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Need {
    No,
    Optional,
    Required,
}

/// The actions the caller may take now, in the order a person would look for them: the
/// process's next step first. Steps are named from the process (`names`, parallel to
/// `roles`).
pub fn offered(
    status: DossierStatus,
    step_seq: i32,
    names: &[&str],
    roles: &[&str],
    caps: Caps,
) -> Vec<Offered> {
    use DossierStatus as S;
    let mut out = Vec::new();
    let base = |event: &'static str, label: &str| Offered {
        event,
        label: label.to_string(),
        reason: Need::No,
        person: false,
        agency: false,
        result: false,
        files: false,
        primary: false,
    };
    let at = current(roles, step_seq);
    let sign = signing_step(roles);
    let last = roles.len().saturating_sub(1);
    if caps.desk {
        match status {
            S::Submitted => {
                out.push(Offered {
                    primary: true,
                    ..base("receive", "Tiếp nhận hồ sơ")
                });
                out.push(Offered {
                    reason: Need::Required,
                    ..base("refuse_at_intake", "Từ chối tiếp nhận (Mẫu 03)")
                });
            }
            S::AwaitingSupplement => out.push(Offered {
                primary: true,
                files: true,
                ..base("supplement_provided", "Đã nhận hồ sơ bổ sung")
            }),
            S::AwaitingPayment => out.push(Offered {
                primary: true,
                ..base("payment_done", "Đã thực hiện nghĩa vụ tài chính")
            }),
            S::Finished => out.push(Offered {
                primary: true,
                ..base("return_result", "Trả kết quả cho người nộp")
            }),
            _ => {}
        }
    }
    if caps.process && matches!(status, S::Received | S::Processing) {
        let at_signing = Some(at) == sign && step_seq >= 0 && (step_seq as usize) <= at;
        if at_signing {
            if caps.sign {
                out.push(Offered {
                    primary: true,
                    result: true,
                    reason: Need::Optional,
                    ..base("finish_processing", "Ký duyệt, ghi nhận kết quả")
                });
            }
        } else if at < last {
            let next = names.get(at + 1).copied().unwrap_or("Bước tiếp theo");
            let (label, person) = if at == 0 {
                (format!("Phân công xử lý: {next}"), true)
            } else if Some(at + 1) == sign {
                ("Trình lãnh đạo ký duyệt".to_string(), false)
            } else {
                (format!("Chuyển bước: {next}"), true)
            };
            out.push(Offered {
                primary: true,
                person,
                reason: Need::Optional,
                files: at > 0,
                ..base("assign", &label)
            });
        } else if sign.is_none_or(|s| at >= s) {
            out.push(Offered {
                primary: true,
                result: true,
                reason: Need::Optional,
                ..base("finish_processing", "Hoàn thành xử lý, ghi nhận kết quả")
            });
        }
        out.push(Offered {
            agency: true,
            reason: Need::Optional,
            ..base("transfer", "Chuyển cơ quan phối hợp (liên thông)")
        });
        out.push(Offered {
            reason: Need::Required,
            ..base("request_supplement", "Yêu cầu bổ sung hồ sơ (Mẫu 02)")
        });
        out.push(base(
            "request_payment",
            "Yêu cầu thực hiện nghĩa vụ tài chính",
        ));
    } else if caps.desk && matches!(status, S::Received | S::Processing) {
        out.push(Offered {
            reason: Need::Required,
            ..base("request_supplement", "Yêu cầu bổ sung hồ sơ (Mẫu 02)")
        });
    }
    if caps.process
        && matches!(
            status,
            S::Received | S::Processing | S::AwaitingSupplement | S::AwaitingPayment
        )
    {
        out.push(Offered {
            reason: Need::Required,
            ..base("stop", "Dừng xử lý")
        });
    }
    if caps.desk
        && matches!(
            status,
            S::Submitted | S::Received | S::Processing | S::AwaitingSupplement | S::AwaitingPayment
        )
    {
        out.push(Offered {
            reason: Need::Optional,
            ..base("withdraw", "Người nộp rút hồ sơ")
        });
    }
    // Every offered event is legal from this status (the state machine decides).
    out.retain(|o| EventKind::from_code(o.event).is_some_and(|k| k.target(status).is_some()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus as S;

    fn p() -> (Vec<String>, Vec<String>) {
        let d = crate::procedure::process::default_process(10 * 480);
        (
            d.iter().map(|s| s.name.clone()).collect(),
            d.iter().map(|s| s.role.clone()).collect(),
        )
    }

    fn refs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn the_default_process_has_a_signing_step_before_the_return() {
        let (_, roles) = p();
        let roles = refs(&roles);
        assert_eq!(roles[0], "mot_cua");
        assert_eq!(signing_step(&roles), Some(2));
    }

    #[test]
    fn signing_cannot_be_skipped() {
        let (_, roles) = p();
        let roles = refs(&roles);
        let fin = EventKind::FinishProcessing;
        assert!(step_refusal(fin, &roles, 0, true).is_some());
        assert!(step_refusal(fin, &roles, 1, true).is_some());
        // At the signing step: the leader signs, the officer cannot.
        assert!(step_refusal(fin, &roles, 2, false).is_some());
        assert_eq!(step_refusal(fin, &roles, 2, true), None);
        // The officer moves the dossier to the signing step; moving on from it is the leader's.
        assert_eq!(step_refusal(EventKind::Assign, &roles, 1, false), None);
        assert!(step_refusal(EventKind::Transfer, &roles, 2, false).is_some());
        // A process without a signing step: finish once assigned.
        let plain = ["mot_cua", "chuyen_vien"];
        assert!(step_refusal(fin, &plain, 0, false).is_some());
        assert_eq!(step_refusal(fin, &plain, 1, false), None);
        // Other events are not about steps.
        assert_eq!(step_refusal(EventKind::Stop, &roles, 0, false), None);
    }

    #[test]
    fn offers_follow_the_process() {
        let (names, roles) = p();
        let (names, roles) = (refs(&names), refs(&roles));
        let officer = Caps {
            process: true,
            ..Default::default()
        };
        let leader = Caps {
            process: true,
            sign: true,
            ..Default::default()
        };
        let desk = Caps {
            desk: true,
            ..Default::default()
        };
        let first = |v: Vec<Offered>| v.into_iter().find(|o| o.primary).map(|o| o.label);
        assert_eq!(
            first(offered(S::Received, 0, &names, &roles, officer)).as_deref(),
            Some("Phân công xử lý: Thẩm định hồ sơ, dự thảo kết quả")
        );
        assert!(offered(S::Received, 0, &names, &roles, officer)[0].person);
        assert_eq!(
            first(offered(S::Processing, 1, &names, &roles, officer)).as_deref(),
            Some("Trình lãnh đạo ký duyệt")
        );
        // At the signing step the officer has no finishing button; the leader has.
        let o = offered(S::Processing, 2, &names, &roles, officer);
        assert!(!o.iter().any(|x| x.event == "finish_processing"));
        let l = offered(S::Processing, 2, &names, &roles, leader);
        assert_eq!(l[0].event, "finish_processing");
        assert!(l[0].result);
        // The desk: receive an online dossier, return a result.
        assert_eq!(
            offered(S::Submitted, 0, &names, &roles, desk)[0].event,
            "receive"
        );
        assert_eq!(
            offered(S::Finished, 2, &names, &roles, desk)[0].event,
            "return_result"
        );
        assert!(offered(S::Returned, 2, &names, &roles, desk).is_empty());
        // Every offer is legal from its status.
        for s in [
            S::Submitted,
            S::Received,
            S::Processing,
            S::AwaitingSupplement,
            S::Finished,
        ] {
            for o in offered(
                s,
                1,
                &names,
                &roles,
                Caps {
                    desk: true,
                    process: true,
                    sign: true,
                },
            ) {
                let k = EventKind::from_code(o.event).unwrap();
                assert!(k.target(s).is_some(), "{s:?} {}", o.event);
            }
        }
    }
}
