//! File formats: plain text, DOCX (zip + WordprocessingML), PDF with a text layer.

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("Định dạng tệp không được hỗ trợ: {0} (chỉ đọc .txt, .docx, .pdf)")]
    Unsupported(String),
    #[error("Tệp không phải văn bản UTF-8 hợp lệ")]
    NotUtf8,
    #[error("Tệp DOCX hỏng hoặc không đọc được: {0}")]
    BadDocx(String),
    #[error("Tệp PDF hỏng hoặc không đọc được: {0}")]
    BadPdf(String),
    #[error("Tệp PDF không có lớp văn bản (bản quét); cần nhận dạng ký tự (OCR) trước khi đọc")]
    PdfWithoutText,
}

pub fn read_file(bytes: &[u8], filename: &str) -> Result<String, ReadError> {
    let _ = (bytes, filename);
    Err(ReadError::Unsupported(filename.to_string()))
}
