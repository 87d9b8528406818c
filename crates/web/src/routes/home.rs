//! Trang chủ — a home page for each role.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use domain::org::Role;

use crate::auth::CurrentUser;
use crate::extract::take_flash;
use crate::views::{Chrome, int_vn};
use crate::{AppError, AppState};

pub struct Card {
    pub title: &'static str,
    pub text: String,
    pub href: &'static str,
    pub action: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    greeting: String,
    scope_text: String,
    agencies: String,
    users: String,
    tasks: String,
    overdue: String,
    cards: Vec<Card>,
}

/// What each role comes to do, in its own words.
fn cards_for(roles: &[Role]) -> Vec<Card> {
    let mut cards = Vec::new();
    let has = |r: Role| roles.contains(&r);
    if has(Role::LanhDaoTinh) || has(Role::SoNoiVu) || has(Role::VanPhongKstt) || has(Role::Admin) {
        cards.push(Card {
            title: "Theo dõi, đôn đốc nhiệm vụ",
            text: "Các văn bản chỉ đạo, nhiệm vụ giao cho từng cơ quan, tỷ lệ hoàn thành, nhiệm vụ quá hạn cần đôn đốc.".into(),
            href: "/van-ban",
            action: "Mở văn bản chỉ đạo",
        });
    }
    if has(Role::LanhDaoDonVi) || has(Role::ChuyenVien) {
        cards.push(Card {
            title: "Nhiệm vụ của đơn vị",
            text: "Nhiệm vụ đơn vị chủ trì hoặc phối hợp: báo cáo tiến độ, báo cáo hoàn thành."
                .into(),
            href: "/nhiem-vu",
            action: "Mở danh sách nhiệm vụ",
        });
    }
    if has(Role::Admin) {
        cards.push(Card {
            title: "Quản trị cơ quan, đơn vị",
            text: "Thêm, sửa, ngừng hoạt động cơ quan; ghi nhận sáp nhập theo quyết định.".into(),
            href: "/co-quan",
            action: "Mở cây cơ quan",
        });
        cards.push(Card {
            title: "Quản trị người dùng",
            text: "Tạo tài khoản, phân vai trò, đặt lại mật khẩu, khóa tài khoản.".into(),
            href: "/nguoi-dung",
            action: "Mở danh sách người dùng",
        });
        cards.push(Card {
            title: "Nhật ký hệ thống",
            text: "Mọi thay đổi: ai, lúc nào, trước và sau.".into(),
            href: "/nhat-ky",
            action: "Xem nhật ký",
        });
    }
    if has(Role::LanhDaoTinh) {
        cards.push(Card {
            title: "Toàn cảnh cải cách hành chính",
            text: "Theo dõi toàn bộ cơ quan, đơn vị của tỉnh.".into(),
            href: "/co-quan",
            action: "Xem các đơn vị",
        });
    }
    if has(Role::SoNoiVu) {
        cards.push(Card {
            title: "Tổ giúp việc CCHC",
            text: "Theo dõi, đôn đốc, tổng hợp các cơ quan, đơn vị thực hiện nhiệm vụ.".into(),
            href: "/co-quan",
            action: "Xem các đơn vị",
        });
    }
    if has(Role::VanPhongKstt) {
        cards.push(Card {
            title: "Kiểm soát thủ tục hành chính",
            text: "Theo dõi các đơn vị tiếp nhận và giải quyết hồ sơ.".into(),
            href: "/co-quan",
            action: "Xem các đơn vị",
        });
    }
    if has(Role::LanhDaoDonVi) {
        cards.push(Card {
            title: "Đơn vị của tôi",
            text: "Quản lý cán bộ, công chức và các đơn vị trực thuộc.".into(),
            href: "/nguoi-dung",
            action: "Quản lý người dùng",
        });
    }
    if has(Role::ChuyenVien) || has(Role::MotCua) {
        cards.push(Card {
            title: "Đơn vị của tôi",
            text: "Thông tin đơn vị và đồng nghiệp.".into(),
            href: "/co-quan",
            action: "Xem đơn vị",
        });
    }
    cards.push(Card {
        title: "Tài khoản của tôi",
        text: "Thông tin cá nhân và đổi mật khẩu.".into(),
        href: "/tai-khoan",
        action: "Mở tài khoản",
    });
    cards
}

pub async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let p = &user.principal;
    let scope_text = match p.scope() {
        domain::org::Scope::Province => "Phạm vi: toàn tỉnh".to_string(),
        domain::org::Scope::Subtree { .. } => {
            format!("Phạm vi: {} và các đơn vị trực thuộc", user.agency_name)
        }
    };
    let (jar, flash) = take_flash(jar);
    // Leaders, unit heads and the secretariat open on their dashboard.
    if app::dashboard::is_home_for(p) && !p.is_admin() {
        let page = crate::routes::dashboard::render(&state, &user, None, None, "/", flash).await?;
        return Ok((jar, page).into_response());
    }
    // Desk clerks open on their desk: what waits for them today.
    if p.has(Role::MotCua) && !p.is_admin() {
        let page = crate::routes::dossier::desk::render(&state, &user, "/", flash).await?;
        return Ok((jar, page).into_response());
    }
    let o = app::home::overview(&state, p).await?;
    let page = HomePage {
        chrome: Chrome::new(&user, "/", "Trang chủ", flash),
        greeting: format!("Xin chào, {}", user.full_name),
        scope_text,
        agencies: int_vn(o.agencies),
        users: int_vn(o.users),
        tasks: int_vn(o.tasks.assigned),
        overdue: int_vn(o.tasks.overdue),
        cards: cards_for(&p.roles),
    };
    Ok((jar, Html(page.render()?)).into_response())
}
