//! Lead and support from the ways real directives phrase an assignment, each on a short
//! made-up text (the corpus holds the real ones): one test per phrasing class.

fn tasks(body: &str) -> Vec<docparse::Task> {
    let text = format!(
        "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nSố: 10/CT-UBND\nNghệ An, ngày 01 tháng 10 năm 2025\n\n\
         CHỈ THỊ\nVề tăng cường phối hợp\n\n{body}\n\nCHỦ TỊCH\nNguyễn Văn A\n"
    );
    let docs = docparse::parse(&text);
    assert_eq!(docs.len(), 1, "one document");
    docs.into_iter().next().map(|d| d.tasks).unwrap_or_default()
}

fn leads(tasks: &[docparse::Task]) -> Vec<Vec<String>> {
    tasks.iter().map(|t| t.lead.clone()).collect()
}

const OPENING: &str = "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các sở, ban, ngành và Chủ tịch \
                       UBND các xã, phường tập trung thực hiện các nội dung sau:\n\n";

#[test]
fn members_in_brackets_are_the_leads() {
    let t = tasks(&format!(
        "{OPENING}1. Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban quản lý Khu Kinh tế, Ban \
         quản lý Khu Nông nghiệp ứng dụng Công nghệ cao):\n\na) Là đầu mối tiếp nhận hồ sơ \
         đề xuất chủ trương đầu tư.\n\nb) Chịu trách nhiệm kiểm tra tính hợp lệ của hồ sơ."
    ));
    let want = vec![
        "Sở Tài chính".to_string(),
        "Ban quản lý Khu Kinh tế".to_string(),
        "Ban quản lý Khu Nông nghiệp ứng dụng Công nghệ cao".to_string(),
    ];
    assert_eq!(leads(&t), vec![want.clone(), want]);
}

#[test]
fn a_role_names_the_body() {
    let t = tasks(&format!(
        "{OPENING}1. Cơ quan chủ trì giải quyết thủ tục đầu tư\n\na) Hướng dẫn và tạo điều \
         kiện giải quyết nhanh các thủ tục.\n\nb) Chủ động phối hợp với các cơ quan liên \
         quan.\n\n2. Cơ quan phối hợp có trách nhiệm trả lời bằng văn bản đúng thời hạn."
    ));
    let role = vec!["Cơ quan chủ trì giải quyết thủ tục đầu tư".to_string()];
    assert_eq!(
        leads(&t),
        vec![role.clone(), role, vec!["Cơ quan phối hợp".to_string()]]
    );
}

#[test]
fn bodies_after_a_purpose_clause_lead_the_list() {
    let t = tasks(&format!(
        "{OPENING}1. Để nâng cao hiệu lực quản lý nhà nước về đầu tư, các Sở, ngành, UBND \
         cấp xã theo chức năng, nhiệm vụ triển khai thực hiện những nội dung sau:\n\na) \
         Thực hiện đầy đủ các quy định của pháp luật về đầu tư.\n\nb) Định kỳ đánh giá tình \
         hình hoạt động của các dự án."
    ));
    let want = vec!["Các Sở, ngành".to_string(), "UBND cấp xã".to_string()];
    assert_eq!(leads(&t), vec![want.clone(), want]);
}
