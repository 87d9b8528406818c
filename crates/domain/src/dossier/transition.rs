//! The dossier state machine: which event may move a dossier from which status
//! (domain.md §5 "Steps": submission, reception, transfer, processing with its
//! supplement / financial-obligation / withdrawal / stop branches, return).

use super::status::DossierStatus;
use serde::{Deserialize, Serialize};

/// Something that happens to a dossier and may change its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum DossierEvent {
    /// Nộp trực tuyến — the portal confirms an online submission (NĐ 45/2020 Điều 11).
    SubmitOnline,
    /// Tiếp nhận — the desk registers a valid dossier and issues Mẫu 01 (TT 01/2018).
    Receive,
    /// Từ chối tiếp nhận — Mẫu 03, with the reason given to the applicant.
    RefuseAtIntake { reason: String },
    /// Phân công — the competent agency's leader assigns the dossier to a step/officer.
    Assign { step: String },
    /// Chuyển — hand-off to the next step or agency (logged on the control sheet, Mẫu 05).
    Transfer { step: String },
    /// Yêu cầu bổ sung, hoàn thiện hồ sơ — Mẫu 02; the clock pauses.
    RequestSupplement { reason: String },
    /// Công dân đã bổ sung — the supplement arrived; the clock restarts.
    SupplementProvided,
    /// Yêu cầu thực hiện nghĩa vụ tài chính — a fee or tax is due.
    RequestPayment,
    /// Đã thực hiện nghĩa vụ tài chính.
    PaymentDone,
    /// Công dân yêu cầu rút hồ sơ.
    Withdraw,
    /// Dừng xử lý, with the reason.
    Stop { reason: String },
    /// Đã xử lý xong — the result is signed and numbered.
    FinishProcessing,
    /// Trả kết quả — at the desk, by post or online.
    ReturnResult,
}

/// The kind of a [`DossierEvent`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    SubmitOnline,
    Receive,
    RefuseAtIntake,
    Assign,
    Transfer,
    RequestSupplement,
    SupplementProvided,
    RequestPayment,
    PaymentDone,
    Withdraw,
    Stop,
    FinishProcessing,
    ReturnResult,
}

/// The one mapping of event kinds: the kind, the name stored on the control sheet, the
/// outbox and the audit log (`dossier_event.kind`, `SuKien`), and its Vietnamese title.
const KINDS: [(EventKind, &str, &str); 13] = [
    (EventKind::SubmitOnline, "submit_online", "Nộp trực tuyến"),
    (EventKind::Receive, "receive", "Tiếp nhận"),
    (
        EventKind::RefuseAtIntake,
        "refuse_at_intake",
        "Từ chối tiếp nhận",
    ),
    (EventKind::Assign, "assign", "Phân công xử lý"),
    (EventKind::Transfer, "transfer", "Chuyển bước xử lý"),
    (
        EventKind::RequestSupplement,
        "request_supplement",
        "Yêu cầu bổ sung",
    ),
    (
        EventKind::SupplementProvided,
        "supplement_provided",
        "Nhận bổ sung",
    ),
    (
        EventKind::RequestPayment,
        "request_payment",
        "Yêu cầu thực hiện nghĩa vụ tài chính",
    ),
    (
        EventKind::PaymentDone,
        "payment_done",
        "Đã thực hiện nghĩa vụ tài chính",
    ),
    (EventKind::Withdraw, "withdraw", "Rút hồ sơ"),
    (EventKind::Stop, "stop", "Dừng xử lý"),
    (
        EventKind::FinishProcessing,
        "finish_processing",
        "Xử lý xong",
    ),
    (EventKind::ReturnResult, "return_result", "Trả kết quả"),
];

/// Records of the control sheet that do not move the status: the stored name and the
/// Vietnamese title (apology letter Mẫu 04, fee collected, satisfaction rating).
pub const NOTE_KINDS: [(&str, &str); 3] = [
    ("apology", "Xin lỗi, hẹn lại ngày trả"),
    ("payment", "Thu phí, lệ phí"),
    ("rating", "Đánh giá mức độ hài lòng"),
];

/// The Vietnamese title of a stored event or note name; "Khác" for anything else.
pub fn event_title(code: &str) -> &'static str {
    EventKind::from_code(code)
        .map(EventKind::title)
        .or_else(|| NOTE_KINDS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t))
        .unwrap_or("Khác")
}

impl EventKind {
    /// The stored name (`receive`, `request_supplement`, …).
    pub fn code(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map_or("", |(_, c, _)| *c)
    }

    /// The Vietnamese title ("Tiếp nhận", "Yêu cầu bổ sung", …).
    pub fn title(self) -> &'static str {
        KINDS
            .iter()
            .find(|(k, _, _)| *k == self)
            .map_or("", |(_, _, t)| *t)
    }

    /// The kind stored as `code`.
    pub fn from_code(code: &str) -> Option<EventKind> {
        KINDS
            .iter()
            .find(|(_, c, _)| *c == code)
            .map(|(k, _, _)| *k)
    }

    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 13] = [
        EventKind::SubmitOnline,
        EventKind::Receive,
        EventKind::RefuseAtIntake,
        EventKind::Assign,
        EventKind::Transfer,
        EventKind::RequestSupplement,
        EventKind::SupplementProvided,
        EventKind::RequestPayment,
        EventKind::PaymentDone,
        EventKind::Withdraw,
        EventKind::Stop,
        EventKind::FinishProcessing,
        EventKind::ReturnResult,
    ];

    /// The action as a Vietnamese verb phrase ("không thể {action}").
    pub fn action(self) -> &'static str {
        match self {
            EventKind::SubmitOnline => "nộp lại",
            EventKind::Receive => "tiếp nhận",
            EventKind::RefuseAtIntake => "từ chối tiếp nhận",
            EventKind::Assign => "phân công xử lý",
            EventKind::Transfer => "chuyển bước xử lý",
            EventKind::RequestSupplement => "yêu cầu bổ sung",
            EventKind::SupplementProvided => "ghi nhận bổ sung giấy tờ",
            EventKind::RequestPayment => "yêu cầu thực hiện nghĩa vụ tài chính",
            EventKind::PaymentDone => "ghi nhận đã thực hiện nghĩa vụ tài chính",
            EventKind::Withdraw => "rút hồ sơ",
            EventKind::Stop => "dừng xử lý",
            EventKind::FinishProcessing => "kết thúc xử lý",
            EventKind::ReturnResult => "trả kết quả",
        }
    }

    /// The status this kind of event leads to from `from`, or `None` if not allowed.
    pub fn target(self, from: DossierStatus) -> Option<DossierStatus> {
        use DossierStatus as S;
        let to = match self {
            EventKind::SubmitOnline => return None,
            EventKind::Receive => (from == S::Submitted).then_some(S::Received)?,
            EventKind::RefuseAtIntake => (from == S::Submitted).then_some(S::RefusedAtIntake)?,
            EventKind::Assign | EventKind::Transfer => {
                matches!(from, S::Received | S::Processing).then_some(S::Processing)?
            }
            EventKind::RequestSupplement => {
                matches!(from, S::Received | S::Processing).then_some(S::AwaitingSupplement)?
            }
            EventKind::SupplementProvided => {
                (from == S::AwaitingSupplement).then_some(S::Processing)?
            }
            EventKind::RequestPayment => {
                matches!(from, S::Received | S::Processing).then_some(S::AwaitingPayment)?
            }
            EventKind::PaymentDone => (from == S::AwaitingPayment).then_some(S::Processing)?,
            EventKind::Withdraw => matches!(
                from,
                S::Submitted
                    | S::Received
                    | S::Processing
                    | S::AwaitingSupplement
                    | S::AwaitingPayment
            )
            .then_some(S::Withdrawn)?,
            EventKind::Stop => matches!(
                from,
                S::Received | S::Processing | S::AwaitingSupplement | S::AwaitingPayment
            )
            .then_some(S::Stopped)?,
            // A procedure solved on the spot goes from reception straight to finished.
            EventKind::FinishProcessing => {
                matches!(from, S::Received | S::Processing).then_some(S::Finished)?
            }
            EventKind::ReturnResult => (from == S::Finished).then_some(S::Returned)?,
        };
        Some(to)
    }
}

impl DossierEvent {
    /// The kind of this event.
    pub fn kind(&self) -> EventKind {
        match self {
            DossierEvent::SubmitOnline => EventKind::SubmitOnline,
            DossierEvent::Receive => EventKind::Receive,
            DossierEvent::RefuseAtIntake { .. } => EventKind::RefuseAtIntake,
            DossierEvent::Assign { .. } => EventKind::Assign,
            DossierEvent::Transfer { .. } => EventKind::Transfer,
            DossierEvent::RequestSupplement { .. } => EventKind::RequestSupplement,
            DossierEvent::SupplementProvided => EventKind::SupplementProvided,
            DossierEvent::RequestPayment => EventKind::RequestPayment,
            DossierEvent::PaymentDone => EventKind::PaymentDone,
            DossierEvent::Withdraw => EventKind::Withdraw,
            DossierEvent::Stop { .. } => EventKind::Stop,
            DossierEvent::FinishProcessing => EventKind::FinishProcessing,
            DossierEvent::ReturnResult => EventKind::ReturnResult,
        }
    }

    /// The text that must not be blank: a refusal, supplement request or stop states its
    /// reason in writing (TT 01/2018: Mẫu 02, Mẫu 03; domain.md §5 step 2).
    fn required_text(&self) -> Option<&str> {
        match self {
            DossierEvent::RefuseAtIntake { reason }
            | DossierEvent::RequestSupplement { reason }
            | DossierEvent::Stop { reason } => Some(reason),
            DossierEvent::Assign { step } | DossierEvent::Transfer { step } => Some(step),
            _ => None,
        }
    }
}

/// A refused transition; the message is Vietnamese and can be shown to the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("Hồ sơ {}, không thể {}.", .from.phrase(), .event.action())]
    Illegal {
        from: DossierStatus,
        event: EventKind,
    },
    #[error("Cần ghi rõ lý do hoặc bước xử lý khi {}.", .0.action())]
    MissingText(EventKind),
    #[error("Hồ sơ mới chỉ bắt đầu bằng nộp trực tuyến, tiếp nhận hoặc từ chối tiếp nhận, không thể {}.", .0.action())]
    NotAStart(EventKind),
}

/// The status after `event`, or why the event is refused.
pub fn apply(
    status: DossierStatus,
    event: &DossierEvent,
) -> Result<DossierStatus, TransitionError> {
    let kind = event.kind();
    let to = kind.target(status).ok_or(TransitionError::Illegal {
        from: status,
        event: kind,
    })?;
    check_text(event)?;
    Ok(to)
}

/// The first status of a new dossier: an online submission (1), a desk reception (2) or
/// a desk refusal recorded in the register (3).
pub fn open(event: &DossierEvent) -> Result<DossierStatus, TransitionError> {
    let to = match event.kind() {
        EventKind::SubmitOnline => DossierStatus::Submitted,
        EventKind::Receive => DossierStatus::Received,
        EventKind::RefuseAtIntake => DossierStatus::RefusedAtIntake,
        other => return Err(TransitionError::NotAStart(other)),
    };
    check_text(event)?;
    Ok(to)
}

fn check_text(event: &DossierEvent) -> Result<(), TransitionError> {
    match event.required_text() {
        Some(t) if t.trim().is_empty() => Err(TransitionError::MissingText(event.kind())),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus as S;
    use EventKind as E;

    #[test]
    fn one_table_maps_every_kind_both_ways() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
            assert!(!k.title().is_empty());
            assert_eq!(event_title(k.code()), k.title());
        }
        assert_eq!(event_title("apology"), "Xin lỗi, hẹn lại ngày trả");
        assert_eq!(event_title("?"), "Khác");
        assert_eq!(EventKind::from_code("apology"), None);
    }

    fn sample(kind: EventKind) -> DossierEvent {
        let r = || "Thiếu bản sao giấy khai sinh".to_string();
        match kind {
            E::SubmitOnline => DossierEvent::SubmitOnline,
            E::Receive => DossierEvent::Receive,
            E::RefuseAtIntake => DossierEvent::RefuseAtIntake { reason: r() },
            E::Assign => DossierEvent::Assign {
                step: "Thẩm định".into(),
            },
            E::Transfer => DossierEvent::Transfer {
                step: "Trình ký".into(),
            },
            E::RequestSupplement => DossierEvent::RequestSupplement { reason: r() },
            E::SupplementProvided => DossierEvent::SupplementProvided,
            E::RequestPayment => DossierEvent::RequestPayment,
            E::PaymentDone => DossierEvent::PaymentDone,
            E::Withdraw => DossierEvent::Withdraw,
            E::Stop => DossierEvent::Stop { reason: r() },
            E::FinishProcessing => DossierEvent::FinishProcessing,
            E::ReturnResult => DossierEvent::ReturnResult,
        }
    }

    /// Every legal transition, written out by hand from domain.md §5.
    const LEGAL: &[(S, E, S)] = &[
        (S::Submitted, E::Receive, S::Received),
        (S::Submitted, E::RefuseAtIntake, S::RefusedAtIntake),
        (S::Submitted, E::Withdraw, S::Withdrawn),
        (S::Received, E::Assign, S::Processing),
        (S::Received, E::Transfer, S::Processing),
        (S::Received, E::RequestSupplement, S::AwaitingSupplement),
        (S::Received, E::RequestPayment, S::AwaitingPayment),
        (S::Received, E::Withdraw, S::Withdrawn),
        (S::Received, E::Stop, S::Stopped),
        (S::Received, E::FinishProcessing, S::Finished),
        (S::Processing, E::Assign, S::Processing),
        (S::Processing, E::Transfer, S::Processing),
        (S::Processing, E::RequestSupplement, S::AwaitingSupplement),
        (S::Processing, E::RequestPayment, S::AwaitingPayment),
        (S::Processing, E::Withdraw, S::Withdrawn),
        (S::Processing, E::Stop, S::Stopped),
        (S::Processing, E::FinishProcessing, S::Finished),
        (S::AwaitingSupplement, E::SupplementProvided, S::Processing),
        (S::AwaitingSupplement, E::Withdraw, S::Withdrawn),
        (S::AwaitingSupplement, E::Stop, S::Stopped),
        (S::AwaitingPayment, E::PaymentDone, S::Processing),
        (S::AwaitingPayment, E::Withdraw, S::Withdrawn),
        (S::AwaitingPayment, E::Stop, S::Stopped),
        (S::Finished, E::ReturnResult, S::Returned),
    ];

    #[test]
    fn exhaustive_table_of_statuses_and_events() {
        let mut legal = 0;
        for from in S::ALL {
            for kind in E::ALL {
                let expected = LEGAL
                    .iter()
                    .find(|(f, k, _)| *f == from && *k == kind)
                    .map(|(_, _, to)| *to);
                let got = apply(from, &sample(kind));
                match expected {
                    Some(to) => {
                        legal += 1;
                        assert_eq!(got, Ok(to), "{from:?} + {kind:?}");
                    }
                    None => assert_eq!(
                        got,
                        Err(TransitionError::Illegal { from, event: kind }),
                        "{from:?} + {kind:?} should be refused"
                    ),
                }
            }
        }
        assert_eq!(legal, LEGAL.len());
        assert_eq!(S::ALL.len() * E::ALL.len(), 130);
    }

    #[test]
    fn terminal_statuses_accept_nothing() {
        for from in S::ALL.into_iter().filter(|s| s.is_terminal()) {
            for kind in E::ALL {
                assert!(apply(from, &sample(kind)).is_err(), "{from:?} + {kind:?}");
            }
        }
    }

    #[test]
    fn refusals_explain_in_vietnamese() {
        let e = apply(S::Returned, &sample(E::RequestSupplement)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Hồ sơ đã trả kết quả, không thể yêu cầu bổ sung."
        );
        let e = apply(S::Finished, &DossierEvent::Withdraw).unwrap_err();
        assert_eq!(e.to_string(), "Hồ sơ đã xử lý xong, không thể rút hồ sơ.");
        let e = apply(S::Submitted, &DossierEvent::FinishProcessing).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Hồ sơ đang chờ tiếp nhận, không thể kết thúc xử lý."
        );
        let e = apply(S::Processing, &DossierEvent::SubmitOnline).unwrap_err();
        assert_eq!(e.to_string(), "Hồ sơ đang được xử lý, không thể nộp lại.");
    }

    #[test]
    fn a_reason_is_required_in_writing() {
        let blank = DossierEvent::Stop {
            reason: "  ".into(),
        };
        assert_eq!(
            apply(S::Processing, &blank),
            Err(TransitionError::MissingText(E::Stop))
        );
        let blank = DossierEvent::RequestSupplement {
            reason: String::new(),
        };
        assert_eq!(
            apply(S::Processing, &blank).unwrap_err().to_string(),
            "Cần ghi rõ lý do hoặc bước xử lý khi yêu cầu bổ sung."
        );
        // The status check comes first: an illegal event is reported as illegal.
        assert!(matches!(
            apply(S::Returned, &blank),
            Err(TransitionError::Illegal { .. })
        ));
    }

    #[test]
    fn a_new_dossier_starts_online_or_at_the_desk() {
        assert_eq!(open(&DossierEvent::SubmitOnline), Ok(S::Submitted));
        assert_eq!(open(&DossierEvent::Receive), Ok(S::Received));
        assert_eq!(open(&sample(E::RefuseAtIntake)), Ok(S::RefusedAtIntake));
        assert_eq!(
            open(&DossierEvent::ReturnResult),
            Err(TransitionError::NotAStart(E::ReturnResult))
        );
    }

    #[test]
    fn a_full_life_with_supplement_and_fee() {
        let events = [
            DossierEvent::SubmitOnline,
            DossierEvent::Receive,
            sample(E::Assign),
            sample(E::RequestSupplement),
            DossierEvent::SupplementProvided,
            DossierEvent::RequestPayment,
            DossierEvent::PaymentDone,
            sample(E::Transfer),
            DossierEvent::FinishProcessing,
            DossierEvent::ReturnResult,
        ];
        let mut s = open(&events[0]).unwrap();
        for e in &events[1..] {
            s = apply(s, e).unwrap();
        }
        assert_eq!(s.code(), 10);
    }
}
