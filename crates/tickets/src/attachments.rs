//! The rules of attachments, owned by the ticket service: how many and how large
//! ([`AttachmentLimits`]), which types are accepted (decided from the content, never from the
//! name or the client's `Content-Type`), the file name kept, the thumbnail of a photo, and
//! reading a `multipart/form-data` upload into checked parts (`read_upload`).
//!
//! Accepted: PNG and JPEG photos (shown inline, with a thumbnail) and PDF documents (offered
//! as a download only). Everything else is refused: HTML in any disguise, SVG (it can carry
//! script), archives, executables. A file is refused as a whole post: nothing of it is stored.

use anyhow::Context as _;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use image::{ImageFormat, ImageReader, Limits};
use store::NewAttachment;

use crate::AppError;

/// Longest kept file name, in characters.
const MAX_NAME_CHARS: usize = 200;
/// The thumbnail's longest side, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;
/// Largest width or height of a photo decoded for its thumbnail, in pixels (a 100-megapixel
/// camera is about 12,000 wide).
const MAX_SIDE: u32 = 16_384;
/// Most memory one decode may allocate, in bytes: a decompression bomb (a small file claiming
/// a huge picture) is refused before it is unpacked.
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;
/// Longest text field (title, description, body) read from a multipart upload, in bytes; the
/// `domain` newtypes check the real limits afterwards.
const MAX_TEXT_BYTES: usize = 64 * 1024;

pub use api::AttachmentLimits;

/// The text fields and checked files of a multipart upload.
#[derive(Debug, Default)]
pub(crate) struct Upload {
    /// Text fields by name, in the order sent (each name at most once).
    pub(crate) fields: Vec<(String, String)>,
    /// The files, checked, with their thumbnails made.
    pub(crate) files: Vec<NewAttachment>,
}

impl Upload {
    /// The text of field `name`; "" when it was not sent.
    pub(crate) fn text(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }
}

/// Reads a multipart upload: the text fields named in `text_fields` (each at most once) and
/// files in parts named `files` (or `file`). Files are checked as they arrive.
///
/// Errors: 413 for a file over the size limit; 422 (field `files`) for too many files, an
/// empty file or a refused type, (field named) for an unknown or repeated field; 400 for a
/// malformed body.
pub(crate) async fn read_upload(
    mut multipart: Multipart,
    text_fields: &[&str],
    limits: AttachmentLimits,
) -> Result<Upload, AppError> {
    let read = read_parts(&mut multipart, text_fields, limits).await;
    if read.is_err() {
        // Read what the client is still sending (up to what a valid upload could hold), so it
        // gets the refusal rather than a connection closed in the middle of its upload.
        let mut left = limits.max_body_bytes();
        while let Ok(Some(mut field)) = multipart.next_field().await {
            while let Ok(Some(chunk)) = field.chunk().await {
                left = left.saturating_sub(chunk.len());
                if left == 0 {
                    return read;
                }
            }
        }
    }
    read
}

/// [`read_upload`]'s reading, stopping at the first refusal.
async fn read_parts(
    multipart: &mut Multipart,
    text_fields: &[&str],
    limits: AttachmentLimits,
) -> Result<Upload, AppError> {
    let mut upload = Upload::default();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "files" || name == "file" {
            if upload.files.len() == limits.max_files {
                return Err(AppError::validation(
                    "files",
                    format!(
                        "at most {} files can be attached to one post; send the others with a message",
                        limits.max_files
                    ),
                ));
            }
            let raw_name = field.file_name().unwrap_or_default().to_owned();
            let file_name = clean_name(&raw_name);
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                if bytes.len() + chunk.len() > limits.max_bytes {
                    // The rest of this part is read (and dropped) by `read_upload`.
                    return Err(AppError::PayloadTooLarge(format!(
                        "{file_name} is larger than {}; attach files up to that size",
                        size_words(limits.max_bytes as u64)
                    )));
                }
                bytes.extend_from_slice(&chunk);
            }
            // A file input left empty sends a part with no name and no bytes: not a file.
            if bytes.is_empty() && raw_name.trim().is_empty() {
                continue;
            }
            upload.files.push(check_file(file_name, bytes).await?);
        } else if text_fields.contains(&name.as_str()) {
            if upload.fields.iter().any(|(n, _)| *n == name) {
                return Err(AppError::validation(&name, format!("the field {name} is sent twice")));
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(malformed)? {
                if bytes.len() + chunk.len() > MAX_TEXT_BYTES {
                    return Err(AppError::validation(&name, format!("the field {name} is far too long")));
                }
                bytes.extend_from_slice(&chunk);
            }
            let text = String::from_utf8(bytes)
                .map_err(|_| AppError::validation(&name, format!("the field {name} is not UTF-8 text")))?;
            upload.fields.push((name, text));
        } else {
            let expected = text_fields.iter().chain(&["files"]).copied().collect::<Vec<_>>().join(", ");
            return Err(AppError::validation(
                &name,
                format!("unknown field {name:?}; this upload takes the fields {expected}"),
            ));
        }
    }
    Ok(upload)
}

/// The name kept for a file nobody named.
const UNNAMED: &str = "attachment";

/// The refusal of a body that is not well-formed multipart (or too large as a whole).
fn malformed(err: MultipartError) -> AppError {
    if err.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("the upload is larger than this service accepts".into())
    } else {
        AppError::BadRequest(format!("the multipart/form-data body cannot be read: {}", err.body_text()))
    }
}

/// `name` as kept: its last path segment, control characters dropped, trimmed, at most
/// [`MAX_NAME_CHARS`] characters; [`UNNAMED`] when nothing is left.
pub(crate) fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() { UNNAMED.to_owned() } else { cleaned.to_owned() }
}

/// `bytes` in words: "10 MiB", "512 KiB", "12 bytes".
pub(crate) fn size_words(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= 1024 {
        format!("{} KiB", bytes.div_ceil(1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// The accepted type of `bytes`, from their content alone; `None` when it is not accepted.
pub(crate) fn detect(bytes: &[u8]) -> Option<&'static str> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => Some("image/png"),
        Ok(ImageFormat::Jpeg) => Some("image/jpeg"),
        _ if bytes.starts_with(b"%PDF-") => Some("application/pdf"),
        _ => None,
    }
}

/// Checks one file (not empty, an accepted type) and makes a photo's thumbnail.
///
/// Errors: 422 (field `files`) naming the file and saying what is accepted.
pub(crate) async fn check_file(file_name: String, bytes: Vec<u8>) -> Result<NewAttachment, AppError> {
    if bytes.is_empty() {
        return Err(AppError::validation(
            "files",
            format!("{file_name} is empty (0 bytes); choose a file with content"),
        ));
    }
    let Some(content_type) = detect(&bytes) else {
        return Err(AppError::validation(
            "files",
            format!(
                "{file_name} is not a photo (PNG or JPEG) or a PDF document; campusdesk looks at what a \
                 file contains, not at its name, and accepts only those types"
            ),
        ));
    };
    if !content_type.starts_with("image/") {
        return Ok(NewAttachment {
            file_name,
            content_type: content_type.to_owned(),
            bytes,
            thumbnail: None,
        });
    }
    let (bytes, made) = tokio::task::spawn_blocking(move || {
        let made = thumbnail(&bytes);
        (bytes, made)
    })
    .await
    .context("the thumbnail maker stopped")?;
    let thumbnail = made.map_err(|err| {
        tracing::info!(error = %format!("{err:#}"), "refused an unreadable image");
        AppError::validation(
            "files",
            format!("{file_name} looks like a photo but cannot be read (damaged, or too large to unpack)"),
        )
    })?;
    Ok(NewAttachment { file_name, content_type: content_type.to_owned(), bytes, thumbnail: Some(thumbnail) })
}

/// A JPEG of `photo` scaled to fit [`THUMBNAIL_SIDE`] square (never enlarged), decoded under
/// 16,384 pixels a side and 512 MiB of memory.
///
/// Errors: the photo cannot be decoded within those limits.
pub fn thumbnail(photo: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut reader = ImageReader::new(std::io::Cursor::new(photo)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image = reader.decode().context("cannot decode the photo")?;
    let small = if image.width() > THUMBNAIL_SIDE || image.height() > THUMBNAIL_SIDE {
        image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    } else {
        image
    };
    let mut out = std::io::Cursor::new(Vec::new());
    let rgb = image::DynamicImage::ImageRgb8(small.to_rgb8());
    rgb.write_to(&mut out, ImageFormat::Jpeg).context("cannot encode the thumbnail")?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image).write_to(&mut out, ImageFormat::Png).expect("encoding");
        out.into_inner()
    }

    #[test]
    fn types_come_from_the_content_not_the_name() {
        assert_eq!(detect(&png(2, 2)), Some("image/png"));
        assert_eq!(detect(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(detect(b"<!doctype html><script>alert(1)</script>"), None);
        assert_eq!(detect(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"), None);
        assert_eq!(detect(b"GIF89a"), None);
    }

    #[test]
    fn thumbnails_fit_the_square_and_are_jpeg() {
        let thumb = thumbnail(&png(1000, 500)).expect("a thumbnail");
        assert_eq!(detect(&thumb), Some("image/jpeg"));
        let decoded = image::load_from_memory(&thumb).expect("decodable");
        assert_eq!((decoded.width(), decoded.height()), (320, 160));
        let small =
            image::load_from_memory(&thumbnail(&png(10, 20)).expect("a thumbnail")).expect("decodable");
        assert_eq!((small.width(), small.height()), (10, 20), "small photos are not enlarged");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        // A PNG header claiming 100,000 x 100,000 pixels: refused before any allocation.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(thumbnail(&bomb).is_err());
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\ana\\heater.png"), "heater.png");
        assert_eq!(clean_name("../../etc/pass\nwd"), "passwd");
        assert_eq!(clean_name("  "), "attachment");
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(size_words(10 * 1024 * 1024), "10 MiB");
        assert_eq!(size_words(1536), "2 KiB");
        assert_eq!(size_words(12), "12 bytes");
    }
}
