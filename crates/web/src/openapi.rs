//! The OpenAPI document served at `/api/openapi.json`.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Ref, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorDetail, FieldErrorOut};
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
        routes::task::parse::parse,
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
        routes::file::download,
        routes::par::api::sets, routes::par::api::set, routes::par::api::import_set,
        routes::par::api::rounds, routes::par::api::open_round, routes::par::api::round,
        routes::par::api::start_appraisal, routes::par::api::publish, routes::par::api::units,
        routes::par::api::card, routes::par::api::save_self, routes::par::api::submit,
        routes::par::api::add_evidence, routes::par::api::remove_evidence, routes::par::api::appraise,
        routes::par::api::return_card, routes::par::api::finish, routes::par::api::reopen,
        routes::par::api::survey, routes::par::api::ranking, routes::par::api::gaps,
        routes::par::api::remediation, routes::par::api::history,
        routes::par::api::import_table, routes::par::api::appendix, routes::par::api::set_table,
        routes::inspection::api::list, routes::inspection::api::create, routes::inspection::api::get,
        routes::inspection::api::add_finding, routes::inspection::api::conclude, routes::inspection::api::close,
        routes::inspection::api::plans, routes::inspection::api::create_plan, routes::inspection::api::plan,
        routes::inspection::api::start_item, routes::inspection::api::stats,
        routes::feedback::api::submit, routes::feedback::api::track, routes::feedback::api::rate,
        routes::feedback::api::supplement, routes::feedback::api::published, routes::feedback::api::list,
        routes::feedback::api::get, routes::feedback::api::event, routes::feedback::api::stats,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldErrorOut)),
    modifiers(&BearerAuth, &StandardErrors),
    tags((name = "auth", description = "Đăng nhập"), (name = "agencies", description = "Cơ quan, đơn vị"),
         (name = "users", description = "Người dùng"), (name = "audit", description = "Nhật ký hệ thống"),
         (name = "calendar", description = "Lịch làm việc, ngày nghỉ lễ, tính hạn"),
         (name = "directives", description = "Văn bản chỉ đạo"), (name = "tasks", description = "Nhiệm vụ"),
         (name = "notifications", description = "Thông báo nhắc việc, cảnh báo và lịch nhắc việc"),
         (name = "procedures", description = "Thủ tục hành chính: danh mục, quy trình nội bộ, công bố, chi phí tuân thủ"),
         (name = "reports", description = "Báo cáo định kỳ: biểu mẫu, lập, gửi, tiếp nhận, tổng hợp, khóa sổ"),
         (name = "dossiers", description = "Hồ sơ một cửa"), (name = "indicators", description = "Chỉ số 766, xếp hạng, danh sách quá hạn"),
         (name = "files", description = "Tệp đính kèm"),
         (name = "par", description = "Chỉ số cải cách hành chính (PAR INDEX): bộ tiêu chí, kỳ chấm điểm, tự đánh giá, thẩm định, xếp hạng"),
         (name = "feedback", description = "Phản ánh, kiến nghị của người dân, doanh nghiệp: gửi, tra cứu, xử lý, công khai"),
         (name = "inspections", description = "Kiểm tra công tác cải cách hành chính: cuộc kiểm tra, phát hiện, kết luận, khắc phục"))
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

/// The error answers every operation can give whatever its handler does, added where the
/// annotation does not list them, and the error body on every 4xx: a malformed query or
/// body is a 400 (`Q`, `ApiJson`), a body of the wrong shape a 422 and one over the limit a
/// 413, a missing or expired token a 401, a path id that names nothing a 404
/// (`parse_id`), and a 429 carries `Retry-After`.
struct StandardErrors;

impl Modify for StandardErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_path_params = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                standard_errors(op, has_path_params);
            }
        }
    }
}

fn standard_errors(op: &mut Operation, has_path_params: bool) {
    let has_input = op.request_body.is_some()
        || op.parameters.iter().flatten().any(|p| match p {
            RefOr::T(p) => matches!(p.parameter_in, ParameterIn::Query | ParameterIn::Header),
            RefOr::Ref(_) => true,
        });
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = |status: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(Response::new(String::new())));
    };
    if has_input {
        add("400");
    }
    if secured {
        add("401");
    }
    if has_path_params {
        add("404");
    }
    if op.request_body.is_some() {
        add("413");
        add("422");
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        if response.description.trim().is_empty() {
            response.description = default_description(status).to_string();
        }
        if response.content.is_empty() {
            response.content.insert(
                "application/json".into(),
                RefOr::T(
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                ),
            );
        }
        if status == "429" && !response.headers.contains_key("Retry-After") {
            let with_header = ResponseBuilder::new()
                .description(response.description.clone())
                .header(
                    "Retry-After",
                    HeaderBuilder::new()
                        .schema(Some(
                            ObjectBuilder::new().schema_type(Type::Integer).build(),
                        ))
                        .description(Some("Số giây phải chờ trước khi thử lại."))
                        .build(),
                )
                .build();
            response.headers = with_header.headers;
        }
    }
}

/// The Vietnamese description of a status an annotation lists without one.
fn default_description(status: &str) -> &'static str {
    match status {
        "400" => {
            "Yêu cầu không hợp lệ: tham số truy vấn, JSON sai cú pháp hoặc thiếu Content-Type."
        }
        "401" => "Chưa đăng nhập, hoặc phiên / mã truy cập đã hết hạn.",
        "403" => "Không có quyền thực hiện thao tác này.",
        "404" => "Không tìm thấy (hoặc nằm ngoài phạm vi của người dùng).",
        "409" => {
            "Xung đột: trạng thái của đối tượng không cho phép, dữ liệu bị trùng, hoặc dữ liệu vừa được người khác cập nhật."
        }
        "413" => "Dữ liệu gửi lên vượt quá giới hạn.",
        "422" => "Dữ liệu không hợp lệ; `error.fields` chỉ ra từng trường.",
        "429" => "Quá nhiều yêu cầu; chờ theo `Retry-After`.",
        _ => "Lỗi.",
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
