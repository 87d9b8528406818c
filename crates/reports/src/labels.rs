//! Vietnamese text printed in the reports, kept in one place.

pub const NATIONAL_NAME: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// The short rule under the issuer's name and under the motto.
pub const ISSUER_RULE: &str = "──────────";
pub const MOTTO_RULE: &str = "───────────────────";
pub const PAGE_FOOTER: &str = "&C&\"Times New Roman\"&11Trang &P/&N";

pub const TASKS_SHEET: &str = "Nhiệm vụ";
pub const TASK_COLUMNS: [&str; 7] = [
    "STT",
    "Nội dung",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian thực hiện",
    "Kết quả thực hiện",
    "Ghi chú",
];
pub const NO_TASKS: &str = "Không có nhiệm vụ";

pub const STATS_SHEET: &str = "Thống kê";
pub const STAT_COLUMNS: [&str; 9] = [
    "STT",
    "Cơ quan, đơn vị",
    "Số nhiệm vụ được giao",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Chờ xác nhận",
    "Đang thực hiện",
    "Quá hạn",
    "Tỷ lệ hoàn thành (%)",
];
pub const TOTAL: &str = "Tổng cộng";
pub const NO_STATS: &str = "Không có số liệu";
pub const CHART_TITLE: &str = "Kết quả thực hiện nhiệm vụ theo cơ quan, đơn vị";
pub const CHART_VALUE_AXIS: &str = "Số nhiệm vụ";

pub fn overdue_note(days: i64) -> String {
    format!("Quá hạn {days} ngày")
}

pub fn finished_late_note(days: i64) -> String {
    format!("Hoàn thành chậm {days} ngày")
}
