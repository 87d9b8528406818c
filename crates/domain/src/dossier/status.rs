//! Trạng thái hồ sơ — the national status codes 1–10 used to sync dossiers with Cổng
//! DVCQG (domain.md §5 "Status codes", as used by provincial one-stop systems).

use serde::{Deserialize, Serialize};

/// Trạng thái hồ sơ — where a dossier stands, with the code synced to Cổng DVCQG
/// (QĐ 31/2021/QĐ-TTg Điều 30 k3; codes as in provincial one-stop systems, domain.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierStatus {
    /// 1 Mới đăng ký — submitted online, awaiting reception.
    Submitted,
    /// 2 Được tiếp nhận — received and registered (Mẫu 01 issued).
    Received,
    /// 3 Không được tiếp nhận — refused at intake (Mẫu 03).
    RefusedAtIntake,
    /// 4 Đang xử lý — being processed.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ — waiting for the citizen's supplement; the clock pauses.
    AwaitingSupplement,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính — waiting for a fee or tax.
    AwaitingPayment,
    /// 7 Công dân yêu cầu rút hồ sơ — withdrawn by the applicant.
    Withdrawn,
    /// 8 Dừng xử lý — processing stopped.
    Stopped,
    /// 9 Đã xử lý xong — processing finished (the 766 end time); result not yet returned.
    Finished,
    /// 10 Đã trả kết quả — result returned to the applicant.
    Returned,
}

/// A stored status code outside 1–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("mã trạng thái hồ sơ không hợp lệ: {0}")]
pub struct UnknownStatus(pub i32);

/// From the stored code (the database column), refusing anything outside 1–10.
impl TryFrom<i32> for DossierStatus {
    type Error = UnknownStatus;
    fn try_from(code: i32) -> Result<Self, UnknownStatus> {
        u8::try_from(code)
            .ok()
            .and_then(DossierStatus::from_code)
            .ok_or(UnknownStatus(code))
    }
}

impl From<DossierStatus> for i32 {
    fn from(s: DossierStatus) -> i32 {
        i32::from(s.code())
    }
}

impl DossierStatus {
    /// Serializes as the national code (1–10), as the API and the portal sync show it.
    pub fn serialize_code<S: serde::Serializer>(
        s: &DossierStatus,
        ser: S,
    ) -> Result<S::Ok, S::Error> {
        ser.serialize_u8(s.code())
    }

    /// All statuses in code order.
    pub const ALL: [DossierStatus; 10] = [
        DossierStatus::Submitted,
        DossierStatus::Received,
        DossierStatus::RefusedAtIntake,
        DossierStatus::Processing,
        DossierStatus::AwaitingSupplement,
        DossierStatus::AwaitingPayment,
        DossierStatus::Withdrawn,
        DossierStatus::Stopped,
        DossierStatus::Finished,
        DossierStatus::Returned,
    ];

    /// The national status code (1–10).
    pub fn code(self) -> u8 {
        match self {
            DossierStatus::Submitted => 1,
            DossierStatus::Received => 2,
            DossierStatus::RefusedAtIntake => 3,
            DossierStatus::Processing => 4,
            DossierStatus::AwaitingSupplement => 5,
            DossierStatus::AwaitingPayment => 6,
            DossierStatus::Withdrawn => 7,
            DossierStatus::Stopped => 8,
            DossierStatus::Finished => 9,
            DossierStatus::Returned => 10,
        }
    }

    /// The status with national code `code`, if any.
    pub fn from_code(code: u8) -> Option<DossierStatus> {
        DossierStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The official Vietnamese name of the status.
    pub fn label(self) -> &'static str {
        match self {
            DossierStatus::Submitted => "Mới đăng ký",
            DossierStatus::Received => "Được tiếp nhận",
            DossierStatus::RefusedAtIntake => "Không được tiếp nhận",
            DossierStatus::Processing => "Đang xử lý",
            DossierStatus::AwaitingSupplement => "Yêu cầu bổ sung giấy tờ",
            DossierStatus::AwaitingPayment => "Yêu cầu thực hiện nghĩa vụ tài chính",
            DossierStatus::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            DossierStatus::Stopped => "Dừng xử lý",
            DossierStatus::Finished => "Đã xử lý xong",
            DossierStatus::Returned => "Đã trả kết quả",
        }
    }

    /// No event can move the dossier on: refused, withdrawn, stopped or result returned.
    /// "Đã xử lý xong" is not terminal: the result still has to be returned.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            DossierStatus::RefusedAtIntake
                | DossierStatus::Withdrawn
                | DossierStatus::Stopped
                | DossierStatus::Returned
        )
    }

    /// The state as a phrase after "Hồ sơ …", for messages ("Hồ sơ đã trả kết quả, …").
    pub(crate) fn phrase(self) -> &'static str {
        match self {
            DossierStatus::Submitted => "đang chờ tiếp nhận",
            DossierStatus::Received => "đã được tiếp nhận, chưa chuyển xử lý",
            DossierStatus::RefusedAtIntake => "đã bị từ chối tiếp nhận",
            DossierStatus::Processing => "đang được xử lý",
            DossierStatus::AwaitingSupplement => "đang chờ công dân bổ sung giấy tờ",
            DossierStatus::AwaitingPayment => "đang chờ thực hiện nghĩa vụ tài chính",
            DossierStatus::Withdrawn => "đã được công dân rút",
            DossierStatus::Stopped => "đã dừng xử lý",
            DossierStatus::Finished => "đã xử lý xong",
            DossierStatus::Returned => "đã trả kết quả",
        }
    }
}

impl std::fmt::Display for DossierStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_one_to_ten() {
        let codes: Vec<u8> = DossierStatus::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, (1..=10).collect::<Vec<u8>>());
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(DossierStatus::from_code(0), None);
        assert_eq!(DossierStatus::from_code(11), None);
    }

    #[test]
    fn labels_are_the_national_names() {
        assert_eq!(
            DossierStatus::from_code(5).map(|s| s.label()),
            Some("Yêu cầu bổ sung giấy tờ")
        );
        assert_eq!(DossierStatus::Returned.to_string(), "Đã trả kết quả");
        assert_eq!(DossierStatus::Finished.label(), "Đã xử lý xong");
    }

    #[test]
    fn terminal_statuses_are_3_7_8_10() {
        let terminal: Vec<u8> = DossierStatus::ALL
            .iter()
            .filter(|s| s.is_terminal())
            .map(|s| s.code())
            .collect();
        assert_eq!(terminal, vec![3, 7, 8, 10]);
    }
}
