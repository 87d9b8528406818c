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

#[test]
fn provinces_named_as_bodies() {
    let t = tasks(&format!(
        "{OPENING}1. Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương hoàn thiện Báo cáo \
         nghiên cứu tiền khả thi.\n\n2. Thành phố Hà Nội và các tỉnh Bắc Ninh, Gia Lai đẩy \
         nhanh tiến độ lập Báo cáo nghiên cứu khả thi.\n\n3. Thành phố Hồ Chí Minh, tỉnh Lâm \
         Đồng đẩy nhanh việc lựa chọn nhà đầu tư.\n\n4. Ủy ban nhân dân các tỉnh, thành phố: \
         Tuyên\nQuang, Hải Phòng quyết liệt chỉ đạo các chủ đầu tư."
    ));
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        leads(&t),
        vec![
            s(&["Tỉnh Nghệ An", "Tỉnh Quảng Ngãi", "Tỉnh Cao Bằng"]),
            s(&["Thành phố Hà Nội", "Tỉnh Bắc Ninh", "Tỉnh Gia Lai"]),
            s(&["Thành phố Hồ Chí Minh", "Tỉnh Lâm Đồng"]),
            s(&[
                "Ủy ban nhân dân tỉnh Tuyên Quang",
                "Ủy ban nhân dân Thành phố Hải Phòng"
            ]),
        ]
    );
}

#[test]
fn a_time_or_a_verb_ends_the_name() {
    let t = tasks(&format!(
        "{OPENING}1. Giao Phó Thủ tướng Chính phủ Trần Hồng Hà trước\nngày 15 tháng 11 năm \
         2025 trực tiếp kiểm tra, đôn đốc các bộ.\n\n2. Bộ Quốc phòng phát huy phẩm chất \
         “Bộ đội Cụ Hồ”, chỉ đạo các quân khu hỗ trợ xe máy."
    ));
    assert_eq!(
        leads(&t),
        vec![
            vec!["Phó Thủ tướng Chính phủ Trần Hồng Hà".to_string()],
            vec!["Bộ Quốc phòng".to_string()]
        ]
    );
    assert_eq!(t[0].deadline.as_deref(), Some("2025-11-15"));
}

#[test]
fn the_day_work_is_done_on_is_its_deadline() {
    let t = tasks(&format!(
        "{OPENING}1. Bộ Xây dựng khởi công dự án mở rộng cao tốc vào ngày 19 tháng 12 năm \
         2025.\n\n2. Sở Tài chính báo cáo kết quả theo Công văn số 158/CĐ-TTg ngày 04 tháng 9 \
         năm 2025."
    ));
    assert_eq!(t[0].deadline.as_deref(), Some("2025-12-19"));
    assert_eq!(t[1].deadline, None);
}

#[test]
fn coordinators_of_an_assignment_block_do_not_lead() {
    let t = tasks(
        "I. NHIỆM VỤ\n\n1. Tổ chức bồi dưỡng kỹ năng xây dựng văn bản.\n\n*Đơn vị chủ trì tham \
         mưu thực\nhiện: *Sở Nội vụ.\n\n*Đơn vị phối hợp thực hiện: *Sở\nTư pháp; các cơ quan, \
         đơn vị liên quan.",
    );
    assert_eq!(leads(&t), vec![vec!["Sở Nội vụ".to_string()]]);
    assert_eq!(
        t[0].support,
        vec![
            "Sở Tư pháp".to_string(),
            "Các cơ quan, đơn vị liên quan".to_string()
        ]
    );
}

/// A Kế hoạch with Roman sections, for the tests that need them.
fn plan_tasks(body: &str) -> Vec<docparse::Task> {
    let text = format!(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 160/KH-UBND\nCần Thơ, ngày 01 tháng 10 năm \
         2025\n\nKẾ HOẠCH\nGiám sát, đánh giá Chương trình\n\n{body}\n\nTM. ỦY BAN NHÂN DÂN\nKT. \
         CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Văn A\n"
    );
    docparse::parse(&text)
        .into_iter()
        .next()
        .map(|d| d.tasks)
        .unwrap_or_default()
}

#[test]
fn a_body_named_in_a_section_of_methods_is_given_work() {
    let t = plan_tasks(
        "I. ĐỐI TƯỢNG\n\n- Các tổ chức và cá nhân liên quan.\n\nII. CÁC BƯỚC GIÁM SÁT, ĐÁNH \
         GIÁ\n\n1. Các bước đánh giá\n\n+ Các cơ quan, đơn vị liên quan thu thập thông tin theo \
         các mẫu biểu quy định.\n\n+ Sở Nông nghiệp và Môi trường tổng hợp chung các mẫu biểu.\n\n\
         + Kết quả đánh giá đã được công bố.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Các Sở, ngành chủ \
         trì, quản lý các dự án thuộc Chương trình\n\n- Phê duyệt kế hoạch giám sát.\n\n- Báo \
         cáo kết quả thực hiện gửi Sở Nông nghiệp và Môi trường.",
    );
    assert_eq!(
        leads(&t),
        vec![
            vec!["Các cơ quan, đơn vị liên quan".to_string()],
            vec!["Sở Nông nghiệp và Môi trường".to_string()],
            // The heading names the group by what its members do (as the corpus's l01).
            vec!["Các Sở, ngành chủ trì, quản lý các dự án thuộc Chương trình".to_string()],
            vec!["Các Sở, ngành chủ trì, quản lý các dự án thuộc Chương trình".to_string()],
        ]
    );
}

#[test]
fn approval_and_accounts_give_no_work() {
    let t = tasks(
        "1. Bộ Chính trị, Ban Bí thư cơ bản nhất trí với Tờ trình của Đảng uỷ Chính phủ. Đây \
         là vấn đề rất quan trọng, đáp ứng yêu cầu phát triển đất nước.\n\n2. Ngày 16/6/2025, \
         Quốc hội đã thông qua Luật Tổ chức chính quyền địa phương.\n\n3. Một số Cục Thuế hiệu \
         quả công tác thanh tra, kiểm tra chưa cao.\n\n4. Giao Đảng uỷ Chính phủ lãnh đạo, \
         chỉ đạo các cơ quan rà soát văn bản.",
    );
    assert_eq!(leads(&t), vec![vec!["Đảng uỷ Chính phủ".to_string()]]);
}

#[test]
fn a_heading_sets_the_time_of_its_points() {
    let t = tasks(
        "1. Về nhiệm vụ trọng tâm từ nay đến tháng 6/2027\n\nThời gian tới, căn cứ vào phương \
         hướng đã nêu trong Báo cáo, Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành \
         uỷ cụ thể hoá để tổ chức thực hiện, trong đó, cần tập trung một số nhiệm vụ sau:\n\n(1) \
         Nâng cao chất lượng công tác tham mưu, tổng hợp.\n\n(2) Triển khai ứng dụng công nghệ \
         thông tin trước ngày 31/12/2026.\n\n2. Hoàn thành mục tiêu đưa vào khai thác 3.000 km \
         đường bộ cao tốc trong năm 2025\n\na) Bộ Xây dựng chỉ đạo kiểm tra các dự án.",
    );
    let bodies = vec![
        "Văn phòng Trung ương Đảng".to_string(),
        "Các văn phòng tỉnh uỷ, thành uỷ".to_string(),
    ];
    assert_eq!(
        leads(&t),
        vec![bodies.clone(), bodies, vec!["Bộ Xây dựng".to_string()]]
    );
    let dates: Vec<Option<&str>> = t.iter().map(|t| t.deadline.as_deref()).collect();
    assert_eq!(dates, [Some("2027-06-30"), Some("2026-12-31"), None]);
}

#[test]
fn bodies_named_with_a_passive_or_with_their_work() {
    let t = plan_tasks(
        "I. NHIỆM VỤ\n\n1. Rà soát các văn bản quy phạm pháp luật của tỉnh.\n\n- Cơ quan thực \
         hiện: Sở Khoa học và Công nghệ tiến hành rà soát các văn bản có liên quan đến tiêu \
         chuẩn.\n\nII. TỔ CHỨC THỰC HIỆN\n\n1. Căn cứ nội dung Kế hoạch, các sở, ngành và Ủy \
         ban nhân dân các xã, phường được phân công chủ trì thực hiện nhiệm vụ có trách nhiệm \
         xây dựng kế hoạch chi tiết.\n\n2. Các cơ quan được phân công chủ trì thực hiện nhiệm \
         vụ theo Kế hoạch này có trách nhiệm lập dự toán kinh phí.",
    );
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        leads(&t),
        vec![
            s(&["Sở Khoa học và Công nghệ"]),
            s(&["Các sở, ngành", "Ủy ban nhân dân các xã, phường"]),
            s(&["Các cơ quan được phân công chủ trì thực hiện nhiệm vụ theo Kế hoạch này"]),
        ]
    );
}

#[test]
fn a_plan_issued_by_a_decision_without_its_kem_theo_line() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\nSố: 2954/QĐ-UBND\nSơn La, ngày 20 tháng 11 năm \
                2025\n\nQUYẾT ĐỊNH\nVỀ VIỆC BAN HÀNH KẾ HOẠCH XUẤT KHẨU SẢN PHẨM HÀNG HÓA\n\n\
                ỦY BAN NHÂN DÂN TỈNH SƠN LA\n\nQUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết \
                định này Kế hoạch xuất khẩu sản phẩm hàng hóa tỉnh Sơn La.\n\nĐiều 2. Giao Sở \
                Công Thương chủ trì triển khai thực hiện Kế hoạch này.\n\nĐiều 3. Quyết định này \
                có hiệu lực kể từ ngày ký ban hành.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ \
                TỊCH\nNguyễn Thành Công\n\nKẾ HOẠCH\n\nXUẤT KHẨU SẢN PHẨM HÀNG HÓA TỈNH SƠN LA\n\n\
                I. NHIỆM VỤ, GIẢI PHÁP\n\n1. Sở Nông nghiệp và Môi trường hướng dẫn nông dân \
                sản xuất theo tiêu chuẩn xuất khẩu.\n\n2. Sở Tài chính bố trí kinh phí xúc tiến \
                thương mại hằng năm.\n";
    let docs = docparse::parse(text);
    assert_eq!(docs.len(), 1, "the plan is the decision's");
    let leads: Vec<Vec<String>> = docs[0].tasks.iter().map(|t| t.lead.clone()).collect();
    assert_eq!(
        leads,
        vec![
            vec!["Sở Công Thương".to_string()],
            vec!["Sở Nông nghiệp và Môi trường".to_string()],
            vec!["Sở Tài chính".to_string()],
        ]
    );
}

#[test]
fn a_notice_without_addressees_is_carried_out_by_those_its_list_names() {
    let text = "BỘ TÀI CHÍNH\nSố: 393/TB-BTC\nHà Nội, ngày 10 tháng 4 năm 2019\n\nTHÔNG BÁO\nKết \
                luận của Bộ trưởng tại Hội nghị tổng kết công tác thuế\n\nII. Một số công việc \
                tiếp tục triển khai thực hiện trong năm 2019:\n\n1. Rà soát các khoản thu trên \
                địa bàn, tránh thu sót.\n\n2. Tăng cường công tác thanh tra, kiểm tra theo Kế \
                hoạch.\n\nVăn phòng Bộ xin thông báo để các đơn vị biết và thực hiện./.\n\nNơi \
                nhận:\n- Bộ trưởng (để b/c);\n- Tổng cục Thuế (để thực hiện);\n- Lưu: VT, VP.\n\n\
                TL. BỘ TRƯỞNG\nCHÁNH VĂN PHÒNG\nTrần Quân\n";
    let docs = docparse::parse(text);
    let leads: Vec<Vec<String>> = docs[0].tasks.iter().map(|t| t.lead.clone()).collect();
    let tct = vec!["Tổng cục Thuế".to_string()];
    assert_eq!(leads, vec![tct.clone(), tct]);
}

#[test]
fn a_group_after_doi_voi_leads_its_points() {
    let t = tasks(&format!(
        "{OPENING}1. Các cơ sở sản xuất, kinh doanh, dịch vụ:\n\n1.1. Đối với các cơ sở sản \
         xuất có lưu lượng khí thải lớn ra môi trường:\n\n- Vận hành thường xuyên hệ thống \
         xử lý khí thải.\n\n- Lắp đặt thiết bị quan trắc tự động.\n\n1.2. Đối với các đơn vị \
         thực hiện dịch vụ thu gom chất thải rắn (theo danh sách kèm theo):\n\n- Không để \
         tồn đọng rác thải qua ngày.\n\n2. Đối với các dự án đầu tư công:\n\n- Sở Tài chính \
         rà soát tiến độ giải ngân."
    ));
    let big = vec!["Các cơ sở sản xuất có lưu lượng khí thải lớn ra môi trường".to_string()];
    let units = vec!["Các đơn vị thực hiện dịch vụ thu gom chất thải rắn".to_string()];
    // "Các dự án …" names no body: the point names its own.
    assert_eq!(
        leads(&t),
        vec![big.clone(), big, units, vec!["Sở Tài chính".to_string()]]
    );
}

/// A task as compared: content, lead, support, deadline, recurrence.
type Row<'a> = (
    &'a str,
    Vec<String>,
    Vec<String>,
    Option<&'a str>,
    Option<&'a str>,
);

/// A plan set out as a form per item: "a) Nhiệm vụ", "b) Cơ quan thực hiện" over "- Đơn
/// vị chủ trì" / "- Đơn vị phối hợp", "c) Thời gian thực hiện".
#[test]
fn a_plan_set_out_as_a_form_per_item() {
    let t = tasks(
        "II. NHIỆM VỤ\n\n1.1. Xây dựng chiến lược dữ liệu:\n\na) Nhiệm vụ: Rà soát, hoàn thiện \
         Chiến lược dữ liệu của tỉnh đến năm 2030.\n\nb) Cơ quan thực hiện:\n\n- Đơn vị chủ \
         trì: Sở Khoa học và Công nghệ.\n\n- Đơn vị phối hợp: Sở Nội vụ.\n\nc) Thời gian \
         thực hiện: Hoàn thành trong năm 2025.\n\n1.2. Phát triển dữ liệu:\n\na) Nhiệm \
         vụ:\n\n- Chuẩn hóa cơ sở dữ liệu của đơn vị.\n\n- Số hóa hồ sơ lưu trữ.\n\nb) Cơ \
         quan thực hiện:\n\n- Đơn vị chủ trì: Các sở, ban, ngành.\n\n- Đơn vị phối hợp: Sở \
         Khoa học và Công nghệ.\n\nc) Thời gian thực hiện: Thực hiện thường xuyên.",
    );
    let got: Vec<Row> = t
        .iter()
        .map(|t| {
            (
                t.content.as_str(),
                t.lead.clone(),
                t.support.clone(),
                t.deadline.as_deref(),
                t.recurrence.as_deref(),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                // The point names the work, the label tells it: both kept.
                "Xây dựng chiến lược dữ liệu — Rà soát, hoàn thiện Chiến lược dữ liệu của tỉnh \
                 đến năm 2030.",
                s(&["Sở Khoa học và Công nghệ"]),
                s(&["Sở Nội vụ"]),
                Some("2025-12-31"),
                None
            ),
            (
                "Chuẩn hóa cơ sở dữ liệu của đơn vị.",
                s(&["Các Sở, ban, ngành"]),
                s(&["Sở Khoa học và Công nghệ"]),
                None,
                Some("continuous")
            ),
            (
                "Số hóa hồ sơ lưu trữ.",
                s(&["Các Sở, ban, ngành"]),
                s(&["Sở Khoa học và Công nghệ"]),
                None,
                Some("continuous")
            ),
        ]
    );
}

/// A heading without a colon that names a group by what its members do is the group's
/// whole name; a duty that closes it is not part of the name.
#[test]
fn a_group_named_by_what_it_does() {
    let t = tasks(&format!(
        "{OPENING}1. Các chủ đầu tư xây dựng và kinh doanh hạ tầng khu công nghiệp\n\n- Đầu tư \
         hạ tầng viễn thông đồng bộ.\n\n2. Các đơn vị cấp nước sạch trên địa bàn tỉnh có \
         trách nhiệm\n\n- Bảo đảm cấp nước liên tục."
    ));
    assert_eq!(
        leads(&t),
        vec![
            vec!["Các chủ đầu tư xây dựng và kinh doanh hạ tầng khu công nghiệp".to_string()],
            vec!["Các đơn vị cấp nước sạch trên địa bàn tỉnh".to_string()],
        ]
    );
}

/// In a plan that gives each body its work under "Tổ chức thực hiện", a heading of another
/// section that names a kind of actor in general ("Doanh nghiệp số") is a topic: its
/// measures are not tasks of "Doanh nghiệp số".
#[test]
fn a_topic_heading_is_not_an_addressee() {
    let t = plan_tasks(
        "I. PHÁT TRIỂN NỀN MÓNG KINH TẾ SỐ\n\n1. Doanh nghiệp số\n\na) Triển khai Chương \
         trình hỗ trợ chuyển đổi số doanh nghiệp nhỏ và vừa.\n\nb) Phát huy vai trò dẫn dắt \
         của doanh nghiệp lớn.\n\nII. TỔ CHỨC THỰC HIỆN\n\n1. Sở Khoa học và Công nghệ\n\n\
         a) Chủ trì triển khai các nhiệm vụ tại mục I của Kế hoạch.\n\n2. Doanh nghiệp công \
         nghệ số\n\na) Tham gia phát triển hạ tầng số.",
    );
    assert_eq!(
        leads(&t),
        vec![
            vec!["Sở Khoa học và Công nghệ".to_string()],
            vec!["Doanh nghiệp công nghệ số".to_string()],
        ]
    );
}

/// A conclusion: the province named in lower case after a long purpose opens the list of
/// its work; each answer to a request ("1. Về kiến nghị …:", however long) is the work of
/// the body it gives it to.
#[test]
fn a_conclusion_gives_the_province_and_the_ministries_their_work() {
    let text = "VĂN PHÒNG CHÍNH PHỦ\nSố: 623/TB-VPCP\nHà Nội, ngày 15 tháng 11 năm 2025\n\n\
        THÔNG BÁO\nKết luận của Phó Thủ tướng Chính phủ tại buổi làm việc với lãnh đạo tỉnh \
        Đắk Lắk\n\nI. ĐÁNH GIÁ CHUNG\n\nTỉnh Đắk Lắk đã đạt được nhiều kết quả tích cực.\n\n\
        II. MỘT SỐ NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI\n\nĐể tiếp tục tháo gỡ các khó \
        khăn, vướng mắc trong phát triển kinh tế - xã hội, giải ngân vốn đầu tư công và thực \
        hiện chính quyền địa phương 02 cấp, đạt được mục tiêu tăng trưởng kinh tế 8% trong \
        năm 2025 của Tỉnh và góp phần đạt mục tiêu tăng trưởng của cả nước, tỉnh Đắk Lắk cần \
        tiếp tục thực hiện quyết liệt một số nội dung trọng tâm sau:\n\n1. Rà soát các chỉ \
        tiêu phát triển kinh tế - xã hội đã được giao.\n\n2. Đẩy mạnh giải ngân đầu tư công.\n\n\
        III. VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH\n\n1. Về kiến nghị sớm ban hành Nghị quyết mới về \
        phát triển kinh tế - xã hội và bảo đảm quốc phòng, an ninh đối với vùng mới được hình \
        thành là vùng Duyên hải Nam Trung Bộ và Tây Nguyên; tiếp tục triển khai các hoạt động \
        của Hội đồng điều phối vùng:\n\nGiao Bộ Tài chính khẩn trương hoàn thiện báo cáo sơ \
        kết 03 năm thực hiện Nghị quyết của Bộ Chính trị về các vùng kinh tế - xã hội.\n\n\
        KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn A\n";
    let docs = docparse::parse(text);
    let t = &docs[0].tasks;
    assert_eq!(
        leads(t),
        vec![
            vec!["Tỉnh Đắk Lắk".to_string()],
            vec!["Tỉnh Đắk Lắk".to_string()],
            vec!["Bộ Tài chính".to_string()],
        ],
        "{t:#?}"
    );
}

/// A letter of the Government Office conveying a leader's opinion: no list, the paragraph
/// after "… có ý kiến như sau:" gives its subject the work; the addressee's title and body
/// on two lines are one addressee.
#[test]
fn an_opinion_paragraph_gives_its_subject_the_work() {
    let text = "VĂN PHÒNG CHÍNH PHỦ\nSố: 11299/VPCP-KGVX\nV/v thành lập Mạng lưới quan trắc\n\
        Hà Nội, ngày 18 tháng 11 năm 2025\n\nKính gửi: Bộ trưởng\nBộ Khoa học và Công nghệ\n\n\
        Xét Tờ trình số 226/TTr-BKHCN ngày 05 tháng 11 năm 2025 của Bộ Khoa học và Công nghệ, \
        Phó Thủ tướng Chính phủ Nguyễn Chí Dũng có ý kiến như sau:\n\nBộ Khoa học và Công nghệ \
        chủ trì, phối hợp với Bộ Quốc phòng, Bộ Nội vụ rà soát, nghiên cứu, làm rõ mô hình tổ \
        chức của Mạng lưới; báo cáo Thủ tướng Chính phủ trong quý I năm 2026.\n\nVăn phòng \
        Chính phủ thông báo để Bộ Khoa học và Công nghệ biết, thực hiện./.\n\nKT. BỘ TRƯỞNG, \
        CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn A\n";
    let docs = docparse::parse(text);
    assert_eq!(docs[0].recipients, ["Bộ Khoa học và Công nghệ"]);
    let t = &docs[0].tasks;
    assert_eq!(
        leads(t),
        vec![vec!["Bộ Khoa học và Công nghệ".to_string()]],
        "{t:#?}"
    );
    assert_eq!(t[0].deadline.as_deref(), Some("2026-03-31"));
}

/// A conclusion's answers written on the line of the matter they answer ("2. Về dự án …:
/// Bộ Xây dựng khẩn trương …", "1. Về đề nghị …: giao Bộ … chủ trì …"): the answer is the
/// work, without the matter.
#[test]
fn an_answer_after_its_matter_is_the_work() {
    let t = tasks(
        "III. VỀ MỘT SỐ KIẾN NGHỊ CỦA TỈNH\n\n1. Về đề nghị nghiên cứu, sửa đổi, bổ sung Nghị \
         quyết số 66.4/2025/NQ-CP đối với nội dung về thủ tục chuyển mục đích sử dụng rừng: \
         giao Bộ Nông nghiệp và Môi trường chủ trì phối hợp với các Bộ nghiên cứu, đề xuất \
         phương án xử lý, báo cáo Thủ tướng Chính phủ trong tháng 12 năm 2025.\n\n2. Về dự án \
         đầu tư xây dựng công trình nạo vét luồng tàu: Bộ Xây dựng khẩn trương rà soát, sớm \
         bàn giao dự án cho tỉnh Thanh Hóa.",
    );
    assert_eq!(
        leads(&t),
        vec![
            vec!["Bộ Nông nghiệp và Môi trường".to_string()],
            vec!["Bộ Xây dựng".to_string()],
        ]
    );
    assert!(
        t[0].content.starts_with("giao Bộ Nông nghiệp"),
        "{}",
        t[0].content
    );
    assert_eq!(t[0].deadline.as_deref(), Some("2025-12-31"));
}

/// A board of the Party's Central Committee under "BAN CHẤP HÀNH / TRUNG ƯƠNG" is named
/// "… Trung ương".
#[test]
fn a_central_board_is_named_trung_uong() {
    let text = "BAN CHẤP HÀNH\nTRUNG ƯƠNG\nBAN TUYÊN GIÁO VÀ DÂN VẬN\n*\nĐẢNG CỘNG SẢN VIỆT NAM\n\
        Số 37-HD/BTGDVTW\nHà Nội, ngày 19 tháng 11 năm 2025\n\nHƯỚNG DẪN\nVề việc đổi mới bản tin \
        sinh hoạt chi bộ\n\nI. MỤC ĐÍCH\n\nNâng cao chất lượng.\n";
    let docs = docparse::parse(text);
    assert_eq!(
        docparse::score::key(docs[0].issuer.as_deref().unwrap_or("")),
        docparse::score::key("Ban Tuyên giáo và Dân vận Trung ương")
    );
}

/// A heading naming two bodies over a paragraph that says which one leads: that one leads,
/// the other supports.
#[test]
fn the_paragraph_says_which_of_the_headings_bodies_leads() {
    let t = tasks(&format!(
        "{OPENING}2. Sở Khoa học và Công nghệ, Sở Nội vụ\n\nSở Khoa học và Công nghệ chủ trì, \
         phối hợp với Sở Nội vụ và các đơn vị có liên quan tổ chức đào tạo, tập huấn cho cán \
         bộ, công chức."
    ));
    assert_eq!(
        leads(&t),
        vec![vec!["Sở Khoa học và Công nghệ".to_string()]]
    );
    assert!(
        t[0].support.iter().any(|s| s == "Sở Nội vụ"),
        "{:?}",
        t[0].support
    );
}

/// A conclusion whose assessment section ends by asking for work ("… thành phố Đà Nẵng cần
/// tập trung thực hiện tốt một số nhiệm vụ, giải pháp sau đây:"): its points are work.
#[test]
fn an_assessment_that_ends_asking_for_work() {
    let t = plan_tasks(
        "I. ĐÁNH GIÁ CHUNG\n\nThành phố đã rất nỗ lực vượt qua khó khăn.\n\nĐể tiếp tục vận \
         hành chính quyền địa phương 02 cấp hoạt động hiệu lực, hiệu quả, thành phố Đà Nẵng \
         cần tập trung thực hiện tốt một số nhiệm vụ, giải pháp sau đây:\n\n1. Tăng cường \
         hiệu quả hoạt động của bộ máy chính quyền cấp xã.\n\n2. Thúc đẩy mạnh mẽ chuyển đổi \
         số.\n\nII. VỀ CÁC ĐỀ XUẤT, KIẾN NGHỊ\n\n1. Về đề nghị ban hành cơ chế: giao Bộ Nội \
         vụ nghiên cứu, đề xuất.",
    );
    assert_eq!(
        leads(&t),
        vec![
            vec!["Thành phố Đà Nẵng".to_string()],
            vec!["Thành phố Đà Nẵng".to_string()],
            vec!["Bộ Nội vụ".to_string()],
        ],
        "{t:#?}"
    );
}

#[test]
fn an_activity_whose_content_lists_its_parts() {
    // "- Nội dung:" over "+" lines, then "- Cơ quan thực hiện: …": one task per part, each
    // with the activity's lead.
    let t = plan_tasks(
        "I. NỘI DUNG HOẠT ĐỘNG\n\n1. Duy trì các mô hình\n\na) Hoạt động 1\n\n- Nội dung:\n\n+ \
         Tổng kết mô hình một cửa hỗ trợ phụ nữ và trẻ em.\n\n+ Tập huấn nâng cao năng lực cho \
         đội ngũ cán bộ y tế.\n\n- Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp với các sở, \
         ban, ngành.",
    );
    assert_eq!(t.len(), 2, "{t:#?}");
    assert!(t[0].content.starts_with("Tổng kết"), "{t:#?}");
    assert!(t[1].content.starts_with("Tập huấn"), "{t:#?}");
    for task in &t {
        assert_eq!(task.lead, vec!["Sở Y tế".to_string()]);
        assert!(!task.support.is_empty(), "{t:#?}");
    }
}

#[test]
fn bodies_listed_under_the_activity_carry_out_its_content() {
    // "- Cơ quan thực hiện:" over "+ Sở A chủ trì, phối hợp với …" (the activity's content is
    // the work) and "+ Sở B đăng tải …" (its own work).
    let t = plan_tasks(
        "I. NỘI DUNG HOẠT ĐỘNG\n\n1. Nâng cao nhận thức\n\na) Hoạt động 3\n\n- Nội dung: \
         Tuyên truyền, giáo dục về phòng ngừa bạo lực trên các phương tiện truyền thông.\n\n\
         - Cơ quan thực hiện:\n\n+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, \
         ngành và các đơn vị có liên quan.\n\n+ Sở Xây dựng đăng tải thông điệp truyền thông \
         trên bảng quang báo thông tin giao thông.",
    );
    assert_eq!(t.len(), 2, "{t:#?}");
    assert!(t[0].content.starts_with("Tuyên truyền"), "{t:#?}");
    assert_eq!(t[0].lead, vec!["Sở Văn hóa và Thể thao".to_string()]);
    assert!(!t[0].support.is_empty(), "{t:#?}");
    assert!(t[1].content.contains("đăng tải"), "{t:#?}");
    assert_eq!(t[1].lead, vec!["Sở Xây dựng".to_string()]);
}

#[test]
fn a_list_asked_of_bodies_among_the_targets() {
    // "II. MỤC TIÊU" holds targets, but a list its lead-in asks of named bodies is work.
    let t = plan_tasks(
        "I. MỤC TIÊU\n\n1. Chỉ tiêu\n\n- Chỉ tiêu 1: Năm 2025 đạt 100%.\n\n2. Tháng hành \
         động\n\na) Các hoạt động chính\n\nCăn cứ tình hình thực tế, các cơ quan, đơn vị, \
         địa phương phối hợp thực hiện các hoạt động sau:\n\n- Lồng ghép tổ chức Lễ phát động \
         với hình thức phù hợp.\n\n- Tăng cường kiểm tra về bình đẳng giới trong Tháng hành \
         động.\n\nII. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ tổng hợp, báo cáo kết quả.",
    );
    let want = vec!["Các cơ quan, đơn vị, địa phương".to_string()];
    let listed: Vec<_> = t.iter().filter(|t| t.lead == want).collect();
    assert_eq!(listed.len(), 2, "{t:#?}");
    assert!(
        !t.iter().any(|t| t.content.contains("Chỉ tiêu 1")),
        "{t:#?}"
    );
}

#[test]
fn an_emulation_plan_gives_work_only_where_it_assigns() {
    // "Ủy ban nhân dân tỉnh … ban hành Kế hoạch …": the issuer, not an addressee; the
    // contents and criteria of the emulation name no work; "Trách nhiệm thực hiện" does.
    let t = plan_tasks(
        "Ủy ban nhân dân thành phố Cần Thơ triển khai Đợt thi đua lập thành tích chào mừng \
         Đại hội và ban hành Kế hoạch tổ chức thực hiện như sau:\n\nI. NỘI DUNG ĐỢT THI \
         ĐUA\n\nCác sở, ban, ngành, các xã, phường triển khai Đợt thi đua, tập trung thi đua \
         thực hiện các nội dung chủ yếu sau:\n\n1. Thi đua thực hiện thắng lợi nhiệm vụ phát \
         triển kinh tế - xã hội năm 2025.\n\n2. Thi đua xây dựng chính quyền trong sạch, \
         vững mạnh.\n\nII. TIÊU CHÍ THI ĐUA\n\n1. Đối với các sở, ban, ngành\n\n- Hoàn thành \
         vượt mức các chỉ tiêu năm 2025.\n\nIII. GIẢI PHÁP THỰC HIỆN\n\n1. Tăng cường sự \
         lãnh đạo của cấp ủy, chính quyền các cấp trong Đợt thi đua.\n\nIV. TRÁCH NHIỆM THỰC \
         HIỆN\n\n1. Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua.\n\n2. Các sở, ban, ngành \
         căn cứ Kế hoạch này phát động Đợt thi đua.",
    );
    assert_eq!(t.len(), 2, "{t:#?}");
    assert_eq!(t[0].lead, vec!["Sở Nội vụ".to_string()]);
}

#[test]
fn an_answer_gives_no_work_to_the_one_who_asked() {
    let text = "BỘ TÀI CHÍNH\nSố: 683/BTC-CST\nV/v chính sách thuế\nHà Nội, ngày 19 tháng 01 năm \
                2026\nKính gửi: Công ty cổ phần BIM.\n\nBộ Tài chính nhận được Công văn của Công \
                ty. Về vấn đề này, Bộ Tài chính có ý kiến như sau:\n\n1. Tại Điều 3 Luật Thuế \
                GTGT quy định đối tượng chịu thuế.\n\n2. Đề nghị Công ty căn cứ quy định nêu trên \
                để thực hiện.\n\nBộ Tài chính trả lời Công ty để biết./.\n\nKT. BỘ TRƯỞNG\nTHỨ \
                TRƯỞNG\nNguyễn Văn A\n";
    let docs = docparse::parse(text);
    assert_eq!(docs.len(), 1);
    assert!(docs[0].tasks.is_empty(), "{:#?}", docs[0].tasks);
}

#[test]
fn a_shorthand_for_some_of_the_bodies_asked() {
    // "… đề nghị các Bộ, … (sau đây gọi là Bộ, cơ quan trung ương) và Ủy ban nhân dân các
    // tỉnh …": the shorthand names the first bodies only; all are asked. A scan read the
    // first point's "1." as "I.".
    let t = tasks(
        "Bộ Tài chính đề nghị các Bộ, cơ quan ngang bộ, cơ quan khác ở trung ương (sau đây \
         gọi là Bộ, cơ quan trung ương) và Ủy ban nhân dân các tỉnh, thành phố trực thuộc \
         trung ương tập trung chỉ đạo triển khai các nhiệm vụ trọng tâm sau:\n\nI. Tổ chức \
         tuyên truyền, phổ biến nội dung của Nghị định.\n\n2. Rà soát các văn bản quy phạm \
         pháp luật đã ban hành.",
    );
    assert_eq!(t.len(), 2, "{t:#?}");
    for task in &t {
        assert_eq!(task.lead.len(), 2, "{t:#?}");
        assert!(
            task.lead[1].starts_with("Ủy ban nhân dân các tỉnh"),
            "{t:#?}"
        );
    }
}

#[test]
fn members_listed_under_a_collective() {
    // "Giao các sở … gồm:" over dashes naming the members, then "Có trách nhiệm:" / "a) …":
    // the points are the members' work; the dashes are no work of their own.
    let t = tasks(&format!(
        "{OPENING}1. Các sở quản lý nhà nước chuyên ngành về hạ tầng\n\nGiao các sở quản lý \
         nhà nước chuyên ngành về hạ tầng theo ngành, lĩnh vực gồm:\n\n- Sở Công Thương (đối \
         với tài sản kết cấu hạ tầng cụm công nghiệp);\n\n- Sở Xây dựng (đối với tài sản kết \
         cấu hạ tầng đô thị).\n\na) Chủ trì tổ chức rà soát, thống kê toàn bộ tài sản kết cấu \
         hạ tầng thuộc phạm vi quản lý.\n\nb) Hướng dẫn, đôn đốc các cơ quan, đơn vị được giao \
         quản lý tài sản."
    ));
    let want = vec!["Sở Công Thương".to_string(), "Sở Xây dựng".to_string()];
    assert_eq!(leads(&t), vec![want.clone(), want], "{t:#?}");
}
