//! The agency parser on the names and lists real directives write.
use super::verbs::{VERB_MAX, VERBS};
use super::*;

#[test]
fn bounded_searches_see_every_verb_and_field_name() {
    assert!(VERBS.iter().all(|v| v.len() <= VERB_MAX));
    assert!(FIELD_NAMES.iter().all(|f| f.len() <= FIELD_NAME_MAX));
    let long = format!("Sở Nội vụ chủ trì {}", "x ".repeat(1000));
    assert_eq!(first_verb_before(&long, 300), first_verb(&long));
    let far = format!("{} thực hiện", "x ".repeat(400));
    assert_eq!(first_verb_before(&far, 300), None);
    assert!(first_verb(&far).is_some());
    assert_eq!(fold_prefix("ĐẦU TƯ và", 3), "dau");
    assert_eq!(lower_aligned("PHỐI HỢP \u{212a}"), "phối hợp \u{212a}");
}

#[test]
fn normalises_collectives() {
    assert_eq!(
        parse_agencies(
            "Giám đốc các Sở, Thủ trưởng các ban, ngành cấp tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thành phố, thị xã"
        ),
        [
            PROVINCIAL_DEPARTMENTS,
            "Ủy ban nhân dân các huyện, thành phố, thị xã"
        ]
    );
    assert_eq!(
        parse_agencies("UBND các huyện, thành phố, thị xã, tỉnh Nghệ An."),
        [DISTRICTS]
    );
    assert_eq!(
        parse_agencies(
            "Các Sở, ngành: Tư pháp, Kế hoạch và Đầu tư, Tài nguyên và Môi trường và Giao thông vận tải"
        ),
        [
            "Sở Tư pháp",
            "Sở Kế hoạch và Đầu tư",
            "Sở Tài nguyên và Môi trường",
            "Sở Giao thông vận tải"
        ]
    );
    assert_eq!(
        parse_agencies(
            "Văn phòng UBND tỉnh và các Sở: Tư pháp, Tài chính, Thông tin và Truyền thông"
        ),
        [
            "Văn phòng UBND tỉnh",
            "Sở Tư pháp",
            "Sở Tài chính",
            "Sở Thông tin và Truyền thông"
        ]
    );
    assert_eq!(
        parse_agencies("Văn phòng UBND tỉnh và các đơn vị có liên quan"),
        ["Văn phòng UBND tỉnh", "Các đơn vị có liên quan"]
    );
    assert_eq!(
        parse_agencies("Các Bộ: Xây dựng, Văn hóa, Thể thao và Du lịch, Y tế"),
        ["Bộ Xây dựng", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]
    );
    assert_eq!(
        sentence_subject(
            "Chánh Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia phối hợp với Bộ Quốc phòng theo dõi"
        ),
        ["Văn phòng Ban chỉ đạo phòng thủ dân sự quốc gia"]
    );
    assert_eq!(
        heading_agencies("Các cơ quan tham mưu quản lý ngành (gồm các Sở: Xây dựng, Y tế)"),
        Some(vec!["Sở Xây dựng".to_string(), "Sở Y tế".to_string()])
    );
    assert_eq!(
        parse_agencies(
            "Đồng chí Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Hà Tĩnh, Huế và Lâm Đồng"
        ),
        [
            "Tỉnh ủy Hà Tĩnh",
            "Ủy ban nhân dân tỉnh Hà Tĩnh",
            "Thành ủy Huế",
            "Ủy ban nhân dân Thành phố Huế",
            "Tỉnh ủy Lâm Đồng",
            "Ủy ban nhân dân tỉnh Lâm Đồng"
        ]
    );
    assert_eq!(
        parse_agencies(
            "Bộ trưởng các Bộ: Xây dựng, Khoa học và Công nghệ và các bộ, ngành có liên quan"
        ),
        [
            "Bộ Xây dựng",
            "Bộ Khoa học và Công nghệ",
            "Các bộ, ngành có liên quan"
        ]
    );
    assert_eq!(
        parse_agencies(
            "các Bộ, ngành có liên quan; Bí thư tỉnh ủy, thành ủy và Chủ tịch Ủy ban nhân dân các tỉnh, thành phố nêu trên"
        ),
        [
            "Các Bộ, ngành có liên quan",
            "Tỉnh ủy, thành ủy",
            "Ủy ban nhân dân các tỉnh, thành phố nêu trên"
        ]
    );
    assert_eq!(
        parse_agencies(
            "Các doanh nghiệp viễn thông (VNPT, Viettel, MobiFone và doanh nghiệp khác)"
        ),
        ["Các doanh nghiệp viễn thông"]
    );
    assert_eq!(
        parse_agencies("Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ Thành phố)"),
        ["Sở Nội vụ"]
    );
    // Head titles go before a capitalised "Cơ quan" as before a lower-case one.
    assert_eq!(
        parse_agencies(
            "Bộ trưởng, Thủ trưởng Cơ quan ngang Bộ, Thủ trưởng Cơ quan thuộc Chính phủ"
        ),
        ["Các bộ", "Cơ quan ngang Bộ", "Cơ quan thuộc Chính phủ"]
    );
}

#[test]
fn finds_subjects_and_coordinators() {
    assert_eq!(
        sentence_subject("Sở Nội vụ (cơ quan Thường trực Ban Chỉ đạo CCHC) tham mưu bổ sung"),
        ["Sở Nội vụ"]
    );
    assert_eq!(
        support_agencies(
            "Chủ trì, phối hợp với Văn phòng Chính phủ, các bộ, cơ quan có liên quan thành lập các đoàn"
        ),
        ["Văn phòng Chính phủ", "Các bộ, cơ quan có liên quan"]
    );
    assert_eq!(
        heading_agencies("Giao Sở Tư pháp"),
        Some(vec!["Sở Tư pháp".to_string()])
    );
    assert_eq!(heading_agencies("Nhiệm vụ trọng tâm ưu tiên"), None);
}

#[test]
fn the_heads_of_a_class_of_bodies() {
    assert_eq!(
        parse_agencies("Bộ trưởng các Bộ, Thủ trưởng cơ quan ngang bộ"),
        ["Các Bộ", "Các cơ quan ngang bộ"]
    );
}

#[test]
fn a_named_list_entry_written_with_its_kind() {
    assert_eq!(
        parse_agencies("Bộ trưởng các Bộ: Tài chính, Nội vụ, Bộ Y tế."),
        ["Bộ Tài chính", "Bộ Nội vụ", "Bộ Y tế"]
    );
}

#[test]
fn a_collective_with_whose_it_is() {
    assert_eq!(
        parse_agencies("Các Sở, ban, ngành của Thành phố, UBND phường, xã"),
        ["Các Sở, ban, ngành của Thành phố", "UBND phường, xã"]
    );
    assert_eq!(
        parse_agencies("Các Sở, ban, ngành thuộc tỉnh, Công an tỉnh"),
        ["Các Sở, ban, ngành thuộc tỉnh", "Công an tỉnh"]
    );
    assert_eq!(
        sentence_subject("Các địa phương phát động ngay “Chiến dịch Quang Trung” thần tốc"),
        ["Các địa phương"]
    );
}
