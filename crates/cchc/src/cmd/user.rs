//! `cchc user add | passwd | list` — account administration for operators.

use std::io::BufRead;

use anyhow::anyhow;
use domain::org::Role;
use store::audit::Actor;
use store::user::UserInput;

use super::CliError;
use crate::DbArgs;

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Tạo tài khoản. Mật khẩu đọc từ --password hoặc từ dòng đầu của stdin.
    Add {
        username: String,
        /// Họ và tên.
        #[arg(long)]
        name: String,
        /// Mã cơ quan (VD: SNV, H-CONCUONG).
        #[arg(long)]
        agency: String,
        /// Vai trò; lặp lại để cấp nhiều vai trò.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        password: Option<String>,
    },
    /// Đặt mật khẩu mới (từ --password hoặc dòng đầu của stdin); mọi phiên đăng nhập kết thúc.
    Passwd {
        username: String,
        #[arg(long)]
        password: Option<String>,
        /// Mật khẩu tạm: người dùng phải đổi ở lần đăng nhập sau.
        #[arg(long)]
        temporary: bool,
    },
    /// Liệt kê tài khoản.
    List,
}

fn read_password(arg: Option<String>) -> Result<String, CliError> {
    let p = match arg {
        Some(p) => p,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| CliError::Internal(e.into()))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    domain::validate::password(&p).map_err(CliError::usage)?;
    Ok(p)
}

pub async fn run(args: UserArgs) -> Result<(), CliError> {
    let db = crate::open(&args.db).await?;
    let actor = Actor::system("cli");
    match args.command {
        UserCommand::Add {
            username,
            name,
            agency,
            roles,
            title,
            password,
        } => {
            let username = domain::validate::username(&username).map_err(CliError::usage)?;
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r)
                        .ok_or_else(|| CliError::usage(format!("vai trò không tồn tại: {r}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let agency = match store::agency::get_by_code(&db, &agency).await {
                Ok(a) => a,
                Err(store::StoreError::NotFound) => {
                    return Err(CliError::usage(format!("không có cơ quan mã {agency}")));
                }
                Err(e) => return Err(CliError::Internal(e.into())),
            };
            let password = read_password(password)?;
            let hash = app::password::hash(password)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            let input = UserInput {
                username,
                full_name: domain::validate::clean(&name),
                title: title.map(|t| domain::validate::clean(&t)),
                email: None,
                phone: None,
                agency_id: agency.id,
                roles,
            };
            match store::user::create(&db, &input, &hash, false, &actor).await {
                Ok(u) => println!(
                    "Đã tạo tài khoản {} (#{}) tại {}.",
                    u.username, u.id, u.agency_name
                ),
                Err(store::StoreError::Conflict(_)) => {
                    return Err(CliError::usage("tên đăng nhập đã tồn tại"));
                }
                Err(e) => return Err(CliError::Internal(e.into())),
            }
        }
        UserCommand::Passwd {
            username,
            password,
            temporary,
        } => {
            let user = match store::user::get_by_username(&db, &username).await {
                Ok(u) => u,
                Err(store::StoreError::NotFound) => {
                    return Err(CliError::usage(format!("không có tài khoản {username}")));
                }
                Err(e) => return Err(CliError::Internal(e.into())),
            };
            let password = read_password(password)?;
            let hash = app::password::hash(password)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            store::user::set_password(
                &db,
                user.id,
                &hash,
                temporary,
                &actor,
                "Đặt mật khẩu từ dòng lệnh".into(),
            )
            .await
            .map_err(|e| CliError::Internal(e.into()))?;
            println!("Đã đặt mật khẩu mới cho {}.", user.username);
        }
        UserCommand::List => {
            let (users, total) = store::user::list(&db, &Default::default(), store::Page::all())
                .await
                .map_err(|e| CliError::Internal(e.into()))?;
            for u in users {
                let roles: Vec<_> = u.roles.iter().map(|r| r.code()).collect();
                println!(
                    "{:<26} {:<8} {:<40} {}",
                    u.username,
                    if u.active { "hoạt động" } else { "khóa" },
                    u.full_name,
                    roles.join(",")
                );
            }
            println!("{total} tài khoản.");
        }
    }
    db.close().await;
    Ok(())
}
