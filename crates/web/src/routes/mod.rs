//! Routes by area: each area has `pages.rs` (HTML + htmx) and `api.rs` (JSON + OpenAPI).

pub mod agency;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod dashboard;
pub mod deadline;
pub mod dossier;
pub mod feedback;
pub mod file;
pub mod home;
pub mod indicator;
pub mod indicator_report;
pub mod inspection;
pub mod notification;
pub mod overdue;
pub mod par;
pub mod portal;
pub mod procedure;
pub mod report;
pub mod search;
pub mod system;
pub mod task;
pub mod user;

use axum::Router;
use axum::routing::{get, post};

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(system::healthz))
        .route("/metrics", get(system::metrics))
        .route("/static/{*path}", get(system::static_file))
        .route("/api/openapi.json", get(system::openapi_json))
        .route("/api/docs", get(system::swagger_ui))
        .route("/", get(home::home))
        .route("/dang-nhap", get(auth::login_page).post(auth::login_submit))
        .route("/dang-xuat", post(auth::logout))
        .route("/tai-khoan", get(user::pages::profile))
        .route(
            "/tai-khoan/mat-khau",
            post(user::pages::change_own_password),
        )
        .route(
            "/co-quan",
            get(agency::pages::list).post(agency::pages::create),
        )
        .route("/co-quan/moi", get(agency::pages::new_form))
        .route(
            "/co-quan/{id}",
            get(agency::pages::detail).post(agency::pages::update),
        )
        .route("/co-quan/{id}/sua", get(agency::pages::edit_form))
        .route("/co-quan/{id}/trang-thai", post(agency::pages::set_active))
        .route(
            "/nguoi-dung",
            get(user::pages::list).post(user::pages::create),
        )
        .route("/nguoi-dung/moi", get(user::pages::new_form))
        .route(
            "/nguoi-dung/{id}",
            get(user::pages::detail).post(user::pages::update),
        )
        .route("/nguoi-dung/{id}/sua", get(user::pages::edit_form))
        .route(
            "/nguoi-dung/{id}/mat-khau",
            post(user::pages::reset_password),
        )
        .route("/nguoi-dung/{id}/trang-thai", post(user::pages::set_active))
        .route("/nhat-ky", get(audit::page))
        .route("/thong-bao", get(notification::page))
        .route("/thong-bao/so-luong", get(notification::unread_fragment))
        .route(
            "/thong-bao/da-doc-tat-ca",
            post(notification::mark_all_read),
        )
        .route("/thong-bao/{id}/da-doc", post(notification::mark_read))
        .route("/lich-nhac-viec", get(notification::schedule_page))
        .route("/api/v1/notifications", get(notification::api_list))
        .route(
            "/api/v1/notifications/schedule",
            get(notification::api_schedule),
        )
        .route(
            "/api/v1/notifications/{id}/read",
            post(notification::api_mark_read),
        )
        .route("/lich-lam-viec", get(calendar::page).post(calendar::create))
        .route("/lich-lam-viec/{id}/trang-thai", post(calendar::set_active))
        .route("/api/v1/calendar", get(calendar::api_year))
        .route("/api/v1/calendar/add", get(calendar::api_add))
        .route("/api/v1/calendar/entries", post(calendar::api_create))
        .route(
            "/api/v1/calendar/entries/{id}",
            axum::routing::put(calendar::api_update),
        )
        .route(
            "/api/v1/calendar/entries/{id}/deactivate",
            post(calendar::api_deactivate),
        )
        .route("/api/v1/auth/login", post(auth::api_login))
        .route("/api/v1/auth/logout", post(auth::api_logout))
        .route("/api/v1/auth/me", get(auth::api_me))
        .route("/api/v1/auth/password", post(auth::api_change_password))
        .route(
            "/api/v1/agencies",
            get(agency::api::list).post(agency::api::create),
        )
        .route(
            "/api/v1/agencies/{id}",
            get(agency::api::get).put(agency::api::update),
        )
        .route(
            "/api/v1/agencies/{id}/deactivate",
            post(agency::api::deactivate),
        )
        .route(
            "/api/v1/agencies/{id}/activate",
            post(agency::api::activate),
        )
        .route(
            "/api/v1/users",
            get(user::api::list).post(user::api::create),
        )
        .route(
            "/api/v1/users/{id}",
            get(user::api::get).put(user::api::update),
        )
        .route(
            "/api/v1/users/{id}/password",
            post(user::api::reset_password),
        )
        .route("/api/v1/users/{id}/deactivate", post(user::api::deactivate))
        .route("/api/v1/users/{id}/activate", post(user::api::activate))
        .route("/api/v1/audit", get(audit::api_list))
        .route("/tep/{id}", get(file::download))
        .route("/tra-cuu", get(dossier::public::lookup))
        .route("/chi-so", get(indicator::page))
        .route("/chi-so.xlsx", get(indicator_report::xlsx))
        .route("/chi-so.pdf", get(indicator_report::pdf))
        .route("/api/v1/indicators", get(indicator::api))
        .route("/chi-so-cchc", get(par::pages::index))
        .route("/chi-so-cchc/mo-ky", post(par::pages::open_round))
        .route("/chi-so-cchc/bo-tieu-chi", post(par::pages::import_set))
        .route(
            "/chi-so-cchc/bo-tieu-chi/bang",
            post(par::pages::import_table),
        )
        .route("/chi-so-cchc/{id}/phu-luc", get(par::api::appendix))
        .route("/chi-so-cchc/bo-tieu-chi/{id}", get(par::pages::set))
        .route(
            "/chi-so-cchc/bo-tieu-chi/{id}/sua",
            get(par::editor::form).post(par::editor::save),
        )
        .route("/chi-so-cchc/don-vi/{code}", get(par::pages::history))
        .route("/chi-so-cchc/{id}", get(par::pages::round))
        .route("/chi-so-cchc/{id}/thao-tac", post(par::pages::round_action))
        .route("/chi-so-cchc/{id}/thieu-diem", get(par::pages::gaps))
        .route("/chi-so-cchc/{id}/khac-phuc", post(par::pages::remediation))
        .route("/chi-so-cchc/{id}/{unit}", get(par::pages::card))
        .route(
            "/chi-so-cchc/{id}/{unit}/thao-tac",
            post(par::pages::card_action),
        )
        .route("/cong-khai", get(portal::portal))
        .route("/dieu-hanh", get(dashboard::page))
        .route("/cong-khai/chi-so-cchc", get(par::public::ranking))
        .route("/cong-khai/chi-so-766", get(portal::ranking_766))
        .route(
            "/phan-anh",
            get(feedback::public::form).post(feedback::public::send),
        )
        .route(
            "/phan-anh/tra-cuu",
            get(feedback::public::track).post(feedback::public::track_action),
        )
        .route("/phan-anh/cong-khai", get(feedback::public::published))
        .route("/phan-anh-kien-nghi", get(feedback::pages::queue))
        .route("/phan-anh-kien-nghi/thong-ke", get(feedback::pages::stats))
        .route(
            "/phan-anh-kien-nghi/{id}",
            get(feedback::pages::detail).post(feedback::pages::act),
        )
        .route(
            "/api/v1/par/sets",
            get(par::api::sets).post(par::api::import_set),
        )
        .route("/api/v1/par/sets/table", post(par::api::import_table))
        .route("/api/v1/par/sets/{id}", get(par::api::set))
        .route("/api/v1/par/sets/{id}/table", get(par::api::set_table))
        .route(
            "/chi-so-cchc/bo-tieu-chi/{id}/bang",
            get(par::api::set_table),
        )
        .route("/api/v1/par/rounds/{id}/appendix", get(par::api::appendix))
        .route(
            "/api/v1/par/rounds",
            get(par::api::rounds).post(par::api::open_round),
        )
        .route("/api/v1/par/rounds/{id}", get(par::api::round))
        .route(
            "/api/v1/par/rounds/{id}/appraisal",
            post(par::api::start_appraisal),
        )
        .route("/api/v1/par/rounds/{id}/publish", post(par::api::publish))
        .route("/api/v1/par/rounds/{id}/survey", post(par::api::survey))
        .route("/api/v1/par/rounds/{id}/ranking", get(par::api::ranking))
        .route("/api/v1/par/rounds/{id}/gaps", get(par::api::gaps))
        .route(
            "/api/v1/par/rounds/{id}/remediation",
            post(par::api::remediation),
        )
        .route("/api/v1/par/rounds/{id}/units", get(par::api::units))
        .route("/api/v1/par/rounds/{id}/units/{code}", get(par::api::card))
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/self",
            axum::routing::put(par::api::save_self),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/submit",
            post(par::api::submit),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/evidence",
            post(par::api::add_evidence),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/evidence/{eid}",
            axum::routing::delete(par::api::remove_evidence),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/appraisal",
            axum::routing::put(par::api::appraise),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/return",
            post(par::api::return_card),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/appraised",
            post(par::api::finish),
        )
        .route(
            "/api/v1/par/rounds/{id}/units/{code}/reopen",
            post(par::api::reopen),
        )
        .route("/api/v1/par/units/{code}/history", get(par::api::history))
        .route(
            "/api/v1/feedback",
            get(feedback::api::list).post(feedback::api::submit),
        )
        .route("/api/v1/feedback/published", get(feedback::api::published))
        .route("/api/v1/feedback/stats", get(feedback::api::stats))
        .route("/api/v1/feedback/track/{code}", get(feedback::api::track))
        .route(
            "/api/v1/feedback/track/{code}/rating",
            post(feedback::api::rate),
        )
        .route(
            "/api/v1/feedback/track/{code}/supplement",
            post(feedback::api::supplement),
        )
        .route("/api/v1/feedback/{id}", get(feedback::api::get))
        .route("/api/v1/feedback/{id}/events", post(feedback::api::event))
        .route("/bao-cao/qua-han", get(overdue::page))
        .route("/bao-cao/qua-han/xlsx", get(overdue::xlsx))
        .route("/api/v1/overdue", get(overdue::api))
        .route("/bao-cao", get(report::pages::list))
        .route("/bao-cao/lap", post(report::pages::open))
        .route("/bao-cao/mo-ky", post(report::pages::open_period))
        .route("/bao-cao/khoa-so", post(report::pages::close))
        .route("/bao-cao/tong-hop", get(report::pages::summary))
        .route("/bao-cao/{id}", get(report::pages::detail))
        .route("/bao-cao/{id}/luu", post(report::pages::save))
        .route("/bao-cao/{id}/thao-tac", post(report::pages::action))
        .route("/bao-cao/{id}/tai-ve", get(report::pages::file))
        .route(
            "/api/v1/reports",
            get(report::api::list).post(report::api::create),
        )
        .route("/api/v1/reports/summary", get(report::api::summary))
        .route(
            "/api/v1/reports/periods/open",
            post(report::api::open_period),
        )
        .route(
            "/api/v1/reports/periods/close",
            post(report::api::close_period),
        )
        .route(
            "/api/v1/reports/{id}",
            get(report::api::get).put(report::api::save),
        )
        .route("/api/v1/reports/{id}/submit", post(report::api::submit))
        .route("/api/v1/reports/{id}/accept", post(report::api::accept))
        .route(
            "/api/v1/reports/{id}/return",
            post(report::api::return_report),
        )
        .route(
            "/api/v1/reports/{id}/corrections",
            post(report::api::correct),
        )
        .route("/api/v1/reports/{id}/file", get(report::api::file))
        .route(
            "/api/v1/indicators/ranking",
            get(indicator_report::ranking_api),
        )
        .route("/ho-so", get(dossier::pages::list))
        .route(
            "/ho-so/tiep-nhan",
            get(dossier::pages::intake_form).post(dossier::pages::intake_post),
        )
        .route("/ho-so/ngay-hen", get(deadline::preview))
        .route("/ho-so/thanh-phan", get(dossier::desk::checklist))
        .route("/mot-cua", get(dossier::desk::home))
        .route("/tim-kiem", get(search::page))
        .route(
            "/api/v1/inspections",
            get(inspection::api::list).post(inspection::api::create),
        )
        .route("/api/v1/inspections/stats", get(inspection::api::stats))
        .route("/api/v1/inspections/{id}", get(inspection::api::get))
        .route(
            "/api/v1/inspections/{id}/findings",
            post(inspection::api::add_finding),
        )
        .route(
            "/api/v1/inspections/{id}/conclusion",
            post(inspection::api::conclude),
        )
        .route(
            "/api/v1/inspections/{id}/close",
            post(inspection::api::close),
        )
        .route(
            "/kiem-tra",
            get(inspection::pages::list).post(inspection::pages::create),
        )
        .route(
            "/api/v1/inspection-plans",
            get(inspection::api::plans).post(inspection::api::create_plan),
        )
        .route("/api/v1/inspection-plans/{id}", get(inspection::api::plan))
        .route(
            "/api/v1/inspection-plans/items/{id}/start",
            post(inspection::api::start_item),
        )
        .route(
            "/kiem-tra/ke-hoach",
            get(inspection::plan_pages::list).post(inspection::plan_pages::create),
        )
        .route(
            "/kiem-tra/ke-hoach/{id}",
            get(inspection::plan_pages::detail).post(inspection::plan_pages::start),
        )
        .route("/kiem-tra/thong-ke", get(inspection::stats_page::page))
        .route("/kiem-tra/thong-ke.xlsx", get(inspection::stats_page::xlsx))
        .route("/kiem-tra/{id}", get(inspection::pages::detail))
        .route("/kiem-tra/{id}/thao-tac", post(inspection::pages::action))
        .route(
            "/kiem-tra/{id}/ho-so-chuan-bi",
            get(inspection::pages::brief),
        )
        .route("/kiem-tra/{id}/ket-luan", get(inspection::pages::notice))
        .route("/api/v1/deadline", get(deadline::api))
        .route("/ho-so/dong-bo", get(dossier::pages::outbox))
        .route("/ho-so/so-theo-doi", get(dossier::forms::register))
        .route("/ho-so/{id}", get(dossier::pages::detail))
        .route("/ho-so/{id}/thao-tac", post(dossier::pages::action))
        .route("/ho-so/{id}/xin-loi", post(dossier::pages::apology))
        .route("/ho-so/{id}/thu-phi", post(dossier::pages::payment))
        .route("/ho-so/{id}/danh-gia", post(dossier::pages::rating))
        .route("/ho-so/{id}/mau/{kind}", get(dossier::forms::form))
        .route(
            "/api/v1/dossiers",
            get(dossier::api::list).post(dossier::api::create),
        )
        .route("/api/v1/dossiers/outbox", get(dossier::api::outbox))
        .route("/api/v1/dossiers/{id}", get(dossier::api::get))
        .route("/api/v1/dossiers/{id}/events", post(dossier::api::event))
        .route("/api/v1/dossiers/{id}/apology", post(dossier::api::apology))
        .route("/api/v1/dossiers/{id}/payment", post(dossier::api::payment))
        .route("/api/v1/dossiers/{id}/rating", post(dossier::api::rating))
        .route("/api/v1/files/{id}", get(file::download))
        .route("/van-ban", get(task::pages::directives))
        .route(
            "/van-ban/nhap",
            get(task::import::import_form).post(task::import::import_upload),
        )
        .route("/van-ban/nhap/xac-nhan", post(task::import::import_confirm))
        .route("/van-ban/{id}", get(task::pages::directive))
        .route("/van-ban/{id}/tep", post(task::pages::post_directive_files))
        .route(
            "/api/v1/directives/{id}/files",
            get(task::api::directive_files).post(task::api::post_directive_files),
        )
        .route(
            "/van-ban/{id}/nhap-bang",
            get(task::import::table_form).post(task::import::table_upload),
        )
        .route(
            "/van-ban/{id}/nhap-bang/xac-nhan",
            post(task::import::table_confirm),
        )
        .route("/nhiem-vu", get(task::pages::tasks))
        .route("/nhiem-vu/thong-ke", get(task::pages::stats_page))
        .route("/nhiem-vu/thong-ke/xlsx", get(task::pages::stats_xlsx))
        .route("/nhiem-vu/xlsx", get(task::pages::tasks_xlsx))
        .route("/nhiem-vu/{id}", get(task::pages::task))
        .route("/nhiem-vu/{id}/gia-han", post(task::pages::post_extension))
        .route("/nhiem-vu/{id}/tach", post(task::pages::post_split))
        .route(
            "/nhiem-vu/{id}/gia-han/{eid}",
            post(task::pages::post_decision),
        )
        .route("/nhiem-vu/{id}/bao-cao", post(task::pages::post_progress))
        .route("/nhiem-vu/{id}/hoan-thanh", post(task::pages::post_submit))
        .route("/nhiem-vu/{id}/xac-nhan", post(task::pages::post_verify))
        .route(
            "/api/v1/directives",
            get(task::api::list_directives).post(task::api::create_directive),
        )
        .route("/api/v1/directives/parse", post(task::parse::parse))
        .route("/api/v1/directives/{id}", get(task::api::get_directive))
        .route(
            "/api/v1/tasks",
            get(task::api::list_tasks).post(task::api::create_task),
        )
        .route("/api/v1/tasks/stats", get(task::api::task_stats))
        .route(
            "/api/v1/tasks/stats/by-agency",
            get(task::api::stats_by_agency_api),
        )
        .route(
            "/api/v1/tasks/{id}/extensions",
            post(task::api::request_extension),
        )
        .route(
            "/api/v1/tasks/{id}/extensions/{eid}/decision",
            post(task::api::decide),
        )
        .route("/api/v1/tasks/{id}", get(task::api::get_task))
        .route("/api/v1/tasks/{id}/reports", post(task::api::report))
        .route("/api/v1/tasks/{id}/submit", post(task::api::submit))
        .route("/api/v1/tasks/{id}/verify", post(task::api::verify))
        .route("/thu-tuc", get(procedure::pages::list))
        .route(
            "/thu-tuc/nhap",
            get(procedure::pages::import_form).post(procedure::pages::import_upload),
        )
        .route(
            "/thu-tuc/nhap/xac-nhan",
            post(procedure::pages::import_confirm),
        )
        .route("/thu-tuc/thong-ke", get(procedure::pages::stats_page))
        .route(
            "/thu-tuc/moi",
            get(procedure::form::new_form).post(procedure::form::create),
        )
        .route("/thu-tuc/{code}/chi-phi", post(procedure::cost::save))
        .route(
            "/thu-tuc/{code}/sua",
            get(procedure::form::edit_form).post(procedure::form::update),
        )
        .route("/thu-tuc/{code}", get(procedure::pages::detail))
        .route(
            "/thu-tuc/{code}/quy-trinh",
            get(procedure::pages::steps_form).post(procedure::pages::steps_save),
        )
        .route(
            "/thu-tuc/{code}/quyet-dinh",
            post(procedure::pages::post_version),
        )
        .route(
            "/api/v1/procedures",
            get(procedure::api::list).post(procedure::api::create),
        )
        .route("/api/v1/procedures/import", post(procedure::api::import))
        .route("/api/v1/procedures/stats", get(procedure::api::stats))
        .route(
            "/api/v1/procedures/{id}",
            get(procedure::api::get).put(procedure::api::update),
        )
        .route(
            "/api/v1/procedures/{id}/steps",
            axum::routing::put(procedure::api::put_steps),
        )
        .route(
            "/api/v1/procedures/{id}/versions",
            post(procedure::api::add_version),
        )
        .route(
            "/api/v1/procedures/{id}/costs/{phase}",
            axum::routing::put(procedure::api::put_cost),
        )
        .fallback(|| async { AppError::NotFound })
}

/// Path ids are positive integers; anything else is simply "not found".
pub fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}

/// `{"items": [...], "total": N}` — the shape of every API list (product.md).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ListOf<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}
