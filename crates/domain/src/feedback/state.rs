//! The states of a feedback and the steps between them, as on the Hệ thống tiếp nhận, trả
//! lời PAKN of Cổng Dịch vụ công quốc gia (shared/docs/domain.md §10): waiting (mới tiếp
//! nhận, đã bổ sung), processing (đang xử lý, chờ duyệt), done (chờ công khai, đã công
//! khai, từ chối tiếp nhận, gộp vào phản ánh trùng). Forwarding to the competent agency
//! puts it back to "received" there, with its time limits counted again.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Received,
    Supplement,
    Processing,
    AwaitingApproval,
    AwaitingPublication,
    Published,
    Rejected,
    Merged,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Received,
        Status::Supplement,
        Status::Processing,
        Status::AwaitingApproval,
        Status::AwaitingPublication,
        Status::Published,
        Status::Rejected,
        Status::Merged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Supplement => "supplement",
            Status::Processing => "processing",
            Status::AwaitingApproval => "awaiting_approval",
            Status::AwaitingPublication => "awaiting_publication",
            Status::Published => "published",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Mới tiếp nhận",
            Status::Supplement => "Chờ người gửi bổ sung",
            Status::Processing => "Đang xử lý",
            Status::AwaitingApproval => "Chờ lãnh đạo duyệt",
            Status::AwaitingPublication => "Chờ công khai",
            Status::Published => "Đã công khai",
            Status::Rejected => "Từ chối tiếp nhận",
            Status::Merged => "Đã gộp vào phản ánh trùng",
        }
    }

    /// Handled: nothing more is due from the agency. An answer approved and waiting to be
    /// published counts as handled for the on-time rate (766 5.2: "chờ công khai / đã công
    /// khai" within the limit), its publication has its own limit.
    pub fn is_handled(self) -> bool {
        matches!(
            self,
            Status::AwaitingPublication | Status::Published | Status::Rejected | Status::Merged
        )
    }

    /// Closed: no step is possible any more.
    pub fn is_closed(self) -> bool {
        matches!(self, Status::Published | Status::Rejected | Status::Merged)
    }
}

/// A step of the handling (`POST /api/v1/feedback/{id}/events`, `action`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Tiếp nhận xử lý.
    Accept,
    /// Từ chối tiếp nhận, with the reason (outside the scope of PAKN, anonymous, …).
    Reject,
    /// Yêu cầu bổ sung thông tin (once, with what is missing).
    RequestSupplement,
    /// The sender supplied what was asked (public).
    Supplement,
    /// Chuyển cơ quan có thẩm quyền.
    Forward,
    /// Gộp vào phản ánh trùng (another feedback on the same matter).
    Merge,
    /// Phân công chuyên viên xử lý.
    Assign,
    /// Dự thảo trả lời, sent to the head.
    Draft,
    /// The head sends the draft back, with the reason.
    ReturnDraft,
    /// The head approves the answer.
    Approve,
    /// Công khai the answer (personal data removed).
    Publish,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Accept,
        Action::Reject,
        Action::RequestSupplement,
        Action::Supplement,
        Action::Forward,
        Action::Merge,
        Action::Assign,
        Action::Draft,
        Action::ReturnDraft,
        Action::Approve,
        Action::Publish,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::RequestSupplement => "request_supplement",
            Action::Supplement => "supplement",
            Action::Forward => "forward",
            Action::Merge => "merge",
            Action::Assign => "assign",
            Action::Draft => "draft",
            Action::ReturnDraft => "return_draft",
            Action::Approve => "approve",
            Action::Publish => "publish",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|x| x.code() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "Tiếp nhận xử lý",
            Action::Reject => "Từ chối tiếp nhận",
            Action::RequestSupplement => "Yêu cầu bổ sung",
            Action::Supplement => "Người gửi bổ sung",
            Action::Forward => "Chuyển cơ quan có thẩm quyền",
            Action::Merge => "Gộp vào phản ánh trùng",
            Action::Assign => "Phân công xử lý",
            Action::Draft => "Trình dự thảo trả lời",
            Action::ReturnDraft => "Trả lại dự thảo",
            Action::Approve => "Duyệt trả lời",
            Action::Publish => "Công khai trả lời",
        }
    }

    /// The state after this step from `from`, or why it cannot be taken (Vietnamese).
    pub fn next(self, from: Status) -> Result<Status, String> {
        use Status as S;
        let to = match (self, from) {
            (Action::Accept, S::Received) => S::Processing,
            (Action::Reject, S::Received | S::Supplement) => S::Rejected,
            (Action::RequestSupplement, S::Received) => S::Supplement,
            (Action::Supplement, S::Supplement) => S::Received,
            (Action::Forward, S::Received | S::Processing) => S::Received,
            (Action::Merge, S::Received | S::Supplement | S::Processing) => S::Merged,
            (Action::Assign, S::Processing) => S::Processing,
            (Action::Draft, S::Processing) => S::AwaitingApproval,
            (Action::ReturnDraft, S::AwaitingApproval) => S::Processing,
            (Action::Approve, S::AwaitingApproval) => S::AwaitingPublication,
            (Action::Publish, S::AwaitingPublication) => S::Published,
            _ => {
                return Err(format!(
                    "Không thể “{}” phản ánh đang ở trạng thái “{}”.",
                    self.label().to_lowercase(),
                    from.label().to_lowercase()
                ));
            }
        };
        Ok(to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_to_publication_and_the_refusals() {
        let mut s = Status::Received;
        for a in [
            Action::RequestSupplement,
            Action::Supplement,
            Action::Accept,
            Action::Assign,
            Action::Draft,
            Action::ReturnDraft,
            Action::Draft,
            Action::Approve,
            Action::Publish,
        ] {
            s = a.next(s).unwrap();
        }
        assert_eq!(s, Status::Published);
        assert!(s.is_closed() && s.is_handled());
        assert!(Action::Accept.next(Status::Published).is_err());
        assert!(Action::Publish.next(Status::Processing).is_err());
        assert!(Action::Reject.next(Status::Processing).is_err());
        let m = Action::Approve.next(Status::Received).unwrap_err();
        assert!(m.contains("mới tiếp nhận"), "{m}");
        for st in Status::ALL {
            assert_eq!(Status::parse(st.code()), Some(st));
        }
        for a in Action::ALL {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
    }
}
