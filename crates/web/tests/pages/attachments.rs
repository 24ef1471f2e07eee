//! Photos and files through the web UI's forms, and how the UI serves them.

use image::{ImageFormat, RgbImage};
use reqwest::StatusCode;

use crate::helpers::spawn_app;

/// An encoded `width` x `height` picture in `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, 80, (y % 256) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, format).expect("encoding");
    out.into_inner()
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The first `/attachments/N...` path in `html` after `marker`.
fn attachment_path(html: &str, marker: &str) -> String {
    let start = html.find(marker).unwrap_or_else(|| panic!("{marker:?} is not on the page"));
    let rest = &html[start..];
    let path = &rest[rest.find("/attachments/").expect("an attachment link")..];
    path.split('"').next().expect("a closing quote").to_owned()
}

#[tokio::test]
async fn a_report_and_a_message_with_files_show_thumbnails_and_download_links() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let photo = picture(500, 250, ImageFormat::Png);
    let pdf = b"%PDF-1.4\n<script>alert(1)</script>".to_vec();
    let page = app
        .post_files(
            "/tickets",
            &[("title", "Radiator cold"), ("description", "The radiator in B204 is cold.")],
            &[("radiator.png", photo.clone()), ("plan.pdf", pdf.clone())],
        )
        .await;
    let location = page.location.clone().expect("a redirect to the new ticket");
    let id = location.trim_start_matches("/tickets/").trim_end_matches("?created=1").to_owned();
    let page = app.follow(page).await;
    assert_eq!(page.status, StatusCode::OK);
    let thumb = attachment_path(&page.html, "class=\"attachment-thumb\"");
    assert!(thumb.ends_with("/thumbnail"), "{thumb}");
    assert!(page.html.contains("alt=\"Photo radiator.png (open full size)\""));
    assert!(page.html.contains(">plan.pdf</a>"), "the PDF is a download link with its name");
    assert!(page.html.contains(&format!("{} bytes", pdf.len())), "the PDF's size is shown");

    let (status, headers, bytes) = app.get_file(&thumb).await;
    assert_eq!((status, header(&headers, "content-type")), (StatusCode::OK, "image/jpeg"));
    assert_eq!(header(&headers, "content-security-policy"), "sandbox; default-src 'none'");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(image::load_from_memory(&bytes).expect("a picture").width(), 320);
    let (status, headers, bytes) = app.get_file(thumb.trim_end_matches("/thumbnail")).await;
    assert_eq!((status, header(&headers, "content-type")), (StatusCode::OK, "image/png"));
    assert!(header(&headers, "content-disposition").starts_with("inline;"));
    assert_eq!(bytes, photo);
    let pdf_path = attachment_path(&page.html, "class=\"attachment-file\"");
    let (status, headers, bytes) = app.get_file(&pdf_path).await;
    assert_eq!((status, bytes), (StatusCode::OK, pdf));
    assert_eq!(header(&headers, "content-type"), "application/octet-stream");
    assert!(header(&headers, "content-disposition").starts_with("attachment; filename=\"plan.pdf\""));
    assert_eq!(header(&headers, "content-security-policy"), "sandbox; default-src 'none'");

    // A message with a JPEG: its thumbnail appears in the thread.
    let posted = app
        .post_files(
            &format!("/tickets/{id}/messages"),
            &[("body", "Also this window")],
            &[("window.jpg", picture(60, 60, ImageFormat::Jpeg))],
        )
        .await;
    let page = app.follow(posted).await;
    let thread = &page.html[page.html.find("id=\"thread-messages\"").expect("the thread")..];
    let in_thread = attachment_path(thread, "class=\"attachment-thumb\"");
    assert!(in_thread.ends_with("/thumbnail"), "{in_thread}");
    assert_ne!(in_thread, thumb);
    assert_eq!(app.get_file("/attachments/999999").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_refused_file_brings_the_form_back_with_the_text_and_saves_nothing() {
    let mut app = spawn_app().await;
    app.enter("user", "Bo").await;
    let page = app
        .post_files(
            "/tickets",
            &[("title", "Heating off"), ("description", "Cold since Monday.")],
            &[("photo.png", b"<!doctype html><script>alert(1)</script>".to_vec())],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"Heating off\""), "the title is kept");
    assert!(page.html.contains("Cold since Monday."), "the description is kept");
    assert!(page.html.contains("id=\"files-error\""));
    assert!(page.html.contains("Photo.png is not a photo (PNG or JPEG) or a PDF document"), "{}", page.html);
    assert!(page.html.contains("please choose the files again"));
    let list = app.get("/tickets").await;
    assert!(!list.html.contains("Heating off"), "nothing was saved");

    let empty = app
        .post_files(
            "/tickets",
            &[("title", "Heating off"), ("description", "Cold.")],
            &[("empty.jpg", Vec::new())],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.html.contains("Empty.jpg is empty (0 bytes)"), "{}", empty.html);
}
