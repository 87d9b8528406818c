//! The OpenAPI document served at `/api/openapi.json`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "cchc API", description = "API của hệ thống cải cách hành chính tỉnh. Xác thực bằng `Authorization: Bearer <token>` lấy từ `POST /api/v1/auth/login`. Lỗi trả về `{\"error\": {\"code\", \"message\"}}` với thông điệp tiếng Việt."),
    paths(
        routes::auth::api_login, routes::auth::api_logout, routes::auth::api_me, routes::auth::api_change_password,
        routes::agency::api::list, routes::agency::api::get, routes::agency::api::create, routes::agency::api::update,
        routes::agency::api::deactivate, routes::agency::api::activate,
        routes::user::api::list, routes::user::api::get, routes::user::api::create, routes::user::api::update,
        routes::user::api::reset_password, routes::user::api::deactivate, routes::user::api::activate,
        routes::audit::api_list,
        routes::calendar::api_year, routes::calendar::api_add, routes::calendar::api_create,
        routes::calendar::api_update, routes::calendar::api_deactivate, routes::deadline::api,
        routes::task::api::list_directives, routes::task::api::get_directive, routes::task::api::create_directive,
        routes::task::api::list_tasks, routes::task::api::task_stats, routes::task::api::get_task, routes::task::api::create_task,
        routes::task::api::report, routes::task::api::submit, routes::task::api::verify,
        routes::task::api::directive_files, routes::task::api::post_directive_files,
        routes::dossier::api::list, routes::dossier::api::get, routes::dossier::api::create,
        routes::dossier::api::event, routes::dossier::api::apology, routes::dossier::api::payment,
        routes::dossier::api::rating, routes::dossier::api::outbox,
        routes::indicator::api, routes::overdue::api,
        routes::indicator_report::ranking_api,
        routes::task::api::request_extension, routes::task::api::decide, routes::task::api::stats_by_agency_api,
        routes::notification::api_list, routes::notification::api_mark_read, routes::notification::api_schedule,
        routes::procedure::api::list, routes::procedure::api::get, routes::procedure::api::create, routes::procedure::api::update,
        routes::procedure::api::put_steps, routes::procedure::api::add_version, routes::procedure::api::put_cost,
        routes::procedure::api::import, routes::procedure::api::stats,
        routes::report::api::list, routes::report::api::create, routes::report::api::get, routes::report::api::save,
        routes::report::api::submit, routes::report::api::accept, routes::report::api::return_report,
        routes::report::api::correct, routes::report::api::file, routes::report::api::summary,
        routes::report::api::open_period, routes::report::api::close_period,
    ),
    modifiers(&BearerAuth),
    tags((name = "auth", description = "Đăng nhập"), (name = "agencies", description = "Cơ quan, đơn vị"),
         (name = "users", description = "Người dùng"), (name = "audit", description = "Nhật ký hệ thống"),
         (name = "calendar", description = "Lịch làm việc, ngày nghỉ lễ, tính hạn"),
         (name = "directives", description = "Văn bản chỉ đạo"), (name = "tasks", description = "Nhiệm vụ"),
         (name = "notifications", description = "Thông báo nhắc việc, cảnh báo và lịch nhắc việc"),
         (name = "procedures", description = "Thủ tục hành chính: danh mục, quy trình nội bộ, công bố, chi phí tuân thủ"),
         (name = "reports", description = "Báo cáo định kỳ: biểu mẫu, lập, gửi, tiếp nhận, tổng hợp, khóa sổ"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
