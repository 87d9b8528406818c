//! Header lines broken over two lines by a narrow column or a text layer (NĐ 30/2020/NĐ-CP,
//! Phụ lục I): the motto of ô 1 ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT" / "NAM") and the title
//! of ô 5b ("… VÀ NHỮNG NĂM" / "TIẾP THEO"), and where a title ends: at the body that
//! enacts the text ("ỦY BAN NHÂN DÂN TỈNH …" above "Căn cứ …").

use crate::normalize::fold;

/// A piece of the national motto printed over two lines ("CỘNG HÒA XÃ HỘI" /
/// "CHỦ NGHĨA VIỆT NAM").
pub(crate) fn is_motto_part(t: &str) -> bool {
    let f = fold(t);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    f.starts_with("cong hoa xa hoi")
        || f.starts_with("chu nghia viet nam")
        || f.starts_with("doc lap")
        || f.starts_with("dang cong san viet nam")
}

/// Words a title line cannot end with: the title goes on on the next line.
pub(crate) const DANGLING: &[&str] = &[
    "nhung", "nam", "va", "cua", "ve", "cac", "den", "tai", "cho", "theo", "trong", "voi", "giai",
    "thoi", "ky", "doi", "nham", "tren",
];

/// A title line that carries on the one before ("TẠI HỘI NGHỊ …", "VỀ VIỆC …").
pub(crate) fn continues_title(l: &str) -> bool {
    let f = fold(l.trim());
    let first = f.split_whitespace().next().unwrap_or("");
    [
        "tai", "cua", "ve", "va", "doi", "trong", "den", "nham", "giai", "thoi", "tren",
    ]
    .contains(&first)
}

/// A line that finishes a national motto broken over two lines ("CỘNG HÒA XÃ HỘI CHỦ
/// NGHĨA VIỆT" / "NAM", "ĐẢNG CỘNG SẢN" / "VIỆT NAM"; NĐ 30/2020/NĐ-CP, Phụ lục I, ô 1):
/// never part of the issuer's name.
pub(crate) fn is_motto_tail(t: &str) -> bool {
    let f = fold(t);
    let f = f.trim_matches(|c: char| !c.is_alphanumeric());
    matches!(
        f,
        "nam" | "viet nam" | "viet" | "chu nghia viet nam" | "nghia viet nam"
    ) || f.starts_with("doc lap")
}

/// A line that opens the motto without finishing it ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT",
/// "VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA", "ĐẢNG CỘNG SẢN").
pub(crate) fn opens_motto(l: &str) -> bool {
    !crate::header::MOTTO.is_match(l)
        && (is_motto_part(l) || crate::header_ocr::motto_start(l).is_some())
        && !fold(l).contains("doc lap")
}

/// Whether line `j` names the body that enacts the text below it (capitals, then "Căn cứ
/// …" or "QUYẾT ĐỊNH:"), or a công điện's sender ("THỦ TƯỚNG CHÍNH PHỦ điện:"): the
/// title above it has ended.
pub(crate) fn enacts(lines: &[&str], j: usize) -> bool {
    let t = lines[j].trim();
    if crate::header::RECIPIENTS.is_match(t) {
        return true;
    }
    if crate::normalize::upper_ratio(t) < 0.8 {
        return false;
    }
    // A body's name carries no year; a title's last line may ("… TỈNH THANH HÓA NĂM 2026"),
    // and may begin with a word no name begins with ("GIỮA BỘ TÀI CHÍNH VÀ …").
    if t.split_whitespace()
        .any(|w| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    // The title wrapped after a word that cannot end it ("… VÀ NHỮNG NĂM" / "TIẾP THEO").
    if j > 0
        && fold(lines[j - 1].trim())
            .split_whitespace()
            .last()
            .is_some_and(|w| DANGLING.contains(&w))
    {
        return false;
    }
    let first = fold(t.split_whitespace().next().unwrap_or(""));
    if [
        "giua", "ve", "cua", "va", "nam", "den", "tai", "tren", "cho", "trong", "theo", "voi",
        "nham", "giai",
    ]
    .contains(&first.as_str())
    {
        return false;
    }
    // The enacting body is named as a body ("ỦY BAN NHÂN DÂN TỈNH …", "CHÍNH PHỦ"); "MƯA
    // LŨ TRÊN ĐỊA BÀN TỈNH ĐẮK LẮK" ends a title with a place.
    let f = fold(t);
    let body = crate::agency::starts_like_agency(&crate::normalize::case_upper(t))
        || [
            "chinh phu",
            "ban chap hanh",
            "bo chinh tri",
            "ban bi thu",
            "quoc hoi",
        ]
        .iter()
        .any(|w| f.starts_with(w));
    if !body {
        return false;
    }
    let next = lines[j + 1..]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && l.chars().any(char::is_alphanumeric));
    next.is_some_and(|n| {
        let f = fold(n);
        f.starts_with("can cu ") || f.starts_with("quyet dinh:") || f.starts_with("quyet nghi")
    })
}

/// A title run into the enacting body after it ("… NĂM 2015 BỘ TRƯỞNG BỘ TƯ PHÁP"): the
/// body cut away.
pub(crate) fn without_enacting_tail(title: &str) -> String {
    for head in [
        " BỘ TRƯỞNG BỘ ",
        " CHỦ TỊCH ỦY BAN NHÂN DÂN",
        " ỦY BAN NHÂN DÂN ",
        " THỦ TƯỚNG CHÍNH PHỦ",
        " CHÍNH PHỦ",
    ] {
        if let Some(i) = title.rfind(head)
            && i > 0
            && title[i..].chars().count() < 60
        {
            return title[..i].trim().to_string();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use crate::header::read_header;
    use crate::normalize::fold;

    #[test]
    fn a_subject_in_the_number_cell_of_a_web_table() {
        let t = "| BỘ TÀI CHÍNH -------  | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc |\n\
                 | Số: 683/BTC-CST V/v chính sách thuế giá trị gia tăng | Hà Nội, ngày 19 tháng 01 năm 2026 |\n\
                 Kính gửi: Công ty cổ phần BIM.";
        let lines: Vec<&str> = t.lines().collect();
        let h = read_header(&lines);
        assert_eq!(
            h.subject.as_deref(),
            Some("chính sách thuế giá trị gia tăng")
        );
        assert_eq!(h.date.as_deref(), Some("2026-01-19"));
    }

    #[test]
    fn a_number_cited_at_the_head_of_a_wrapped_line_starts_no_document() {
        let t = "CHÍNH PHỦ\nSố: 126/NQ-CP\nHà Nội, ngày 11 tháng 5 năm 2026\nNGHỊ QUYẾT\nVề việc \
                 chuyển giao\nTheo đề nghị của Bộ trưởng Bộ Văn hoá, Thể thao và Du lịch tại \
                 các Tờ trình:\nSố 202/TTr-BVHTTDL ngày 11 tháng 5 năm 2026, số 192/TTr-BVHTTDL\n\
                 ngày 06 tháng 5 năm 2026.\nQUYẾT NGHỊ:\nĐiều 1. Giao Bộ Văn hoá, Thể thao và Du \
                 lịch tổ chức bàn giao.";
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(crate::header::split_documents(&lines).len(), 1);
    }

    fn issuer(text: &str) -> Option<String> {
        let lines: Vec<&str> = text.split('\n').collect();
        read_header(&lines).issuer
    }

    #[test]
    fn motto_broken_over_two_lines() {
        let t = "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\nNAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/KH-UBND\nNghệ An, ngày 3 tháng 5 năm 2025";
        assert_eq!(issuer(t).as_deref(), Some("Ủy ban nhân dân tỉnh Nghệ An"));
        let t = "VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA\nVIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 304/TB-VPCP\nHà Nội, ngày 3 tháng 5 năm 2025";
        assert_eq!(issuer(t).as_deref(), Some("Văn phòng Chính phủ"));
        let t = "BAN CHẤP HÀNH\nTRUNG ƯƠNG\nVĂN PHÒNG\n\nĐẢNG CỘNG SẢN\nVIỆT NAM\n\nSố 07-KL/VPTW\nHà Nội, ngày 01 tháng 12 năm 2025";
        let got = issuer(t).unwrap_or_default();
        assert_eq!(fold(&got), "van phong ban chap hanh trung uong");
        let t = "BỘ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA\nVIỆT NAM\nSố: 5/BYT-KH\nHà Nội, ngày 3 tháng 5 năm 2025";
        assert_eq!(issuer(t).as_deref(), Some("Bộ Y tế"));
    }

    #[test]
    fn name_broken_before_and() {
        let t = "BỘ VĂN HÓA, THỂ\nTHAO\nVÀ DU LỊCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 4385/QĐ-BVHTTDL\nHà Nội, ngày 18 tháng 11 năm 2025";
        let got = issuer(t).unwrap_or_default();
        assert_eq!(
            crate::normalize::fold(&got),
            "bo van hoa, the thao va du lich"
        );
    }

    #[test]
    fn title_wrapped_after_a_linking_word() {
        let t = "HỘI ĐỒNG NHÂN DÂN\nSố: 74/2025/NQ-HĐND\nHà Nội, ngày 27 tháng 11 năm 2025\nNGHỊ QUYẾT\nBÃI BỎ NGHỊ QUYẾT SỐ 30/2013/NQ-HĐND VỀ XÂY DỰNG KHU VỰC ĐẾN NĂM 2020 VÀ NHỮNG NĂM\nTIẾP THEO\nCăn cứ Luật số 72/2025/QH15;";
        let lines: Vec<&str> = t.split('\n').collect();
        let s = read_header(&lines).subject.unwrap_or_default();
        assert!(s.ends_with("TIẾP THEO"), "{s}");
        let t = "VĂN PHÒNG\nSố 07-KL/VPTW\nHà Nội, ngày 01 tháng 12 năm 2025\n\nKẾT LUẬN\n\nCỦA ĐỒNG CHÍ CHÁNH VĂN PHÒNG\n\nTẠI HỘI NGHỊ TOÀN QUỐC NĂM 2025\n\nHội nghị đã thống nhất đánh giá.";
        let lines: Vec<&str> = t.split('\n').collect();
        let s = read_header(&lines).subject.unwrap_or_default();
        assert_eq!(
            s,
            "CỦA ĐỒNG CHÍ CHÁNH VĂN PHÒNG TẠI HỘI NGHỊ TOÀN QUỐC NĂM 2025"
        );
    }
}
