//! Attachments: reports and messages with files, how the files are served, and every refusal
//! leaving nothing stored.

use api::{CreateTicketRequest, TicketListQuery, UploadFile};
use domain::Status;
use image::{ImageFormat, RgbImage};
use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, expect_problem, problem_of, spawn_app, staff, user};

/// An encoded `width` x `height` picture in `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn file(name: &str, bytes: impl Into<Vec<u8>>) -> UploadFile {
    UploadFile { file_name: name.to_owned(), bytes: bytes.into() }
}

fn heating() -> CreateTicketRequest {
    CreateTicketRequest {
        title: "Heating off in B204".into(),
        description: "The radiator in room B204 is cold since Monday.".into(),
        reporter_email: None,
    }
}

/// How many tickets exist (as staff see them): nothing half-stored means none after a refusal.
async fn ticket_count(app: &TestApp) -> i64 {
    app.client.list_tickets(&staff("Ana"), &TicketListQuery::default()).await.unwrap().total
}

/// A served file: status, the named headers and the bytes.
async fn fetch(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let response = app.request(Method::GET, path).send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap().to_vec())
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

#[tokio::test]
async fn a_photo_and_a_document_come_with_the_report_and_are_served_safely() {
    let app = spawn_app().await;
    let photo = picture(800, 400, ImageFormat::Png);
    let pdf = b"%PDF-1.4\n%fake but typed by its first bytes\n".to_vec();
    let created = app
        .client
        .create_ticket_with_files(
            &user(),
            &heating(),
            vec![file("radiator.png", photo.clone()), file("plan.pdf", pdf.clone())],
        )
        .await
        .unwrap();
    let [png, doc] = &created.attachments[..] else { panic!("two attachments: {:?}", created.attachments) };
    assert_eq!((png.file_name.as_str(), png.content_type.as_str()), ("radiator.png", "image/png"));
    assert_eq!(png.size, photo.len() as i64);
    assert_eq!((doc.content_type.as_str(), doc.message_id), ("application/pdf", None));
    assert!(doc.thumbnail_sha256.is_none());

    let (status, headers, bytes) = fetch(&app, &format!("/attachments/{}", png.id)).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, photo, "the photo comes back byte for byte");
    assert_eq!(header(&headers, "content-type"), "image/png");
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert_eq!(header(&headers, "content-security-policy"), "sandbox; default-src 'none'");
    assert!(header(&headers, "content-disposition").starts_with("inline; filename=\"radiator.png\""));

    let (status, headers, thumb) = fetch(&app, &format!("/attachments/{}/thumbnail", png.id)).await;
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), "image/jpeg");
    assert_eq!(header(&headers, "content-security-policy"), "sandbox; default-src 'none'");
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (320, 160), "the thumbnail fits 320 x 320");

    let (status, headers, bytes) = fetch(&app, &format!("/attachments/{}", doc.id)).await;
    assert_eq!((status, bytes), (200, pdf));
    assert_eq!(header(&headers, "content-type"), "application/octet-stream", "never rendered inline");
    assert!(header(&headers, "content-disposition").starts_with("attachment; filename=\"plan.pdf\""));
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    let response =
        app.request(Method::GET, &format!("/attachments/{}/thumbnail", doc.id)).send().await.unwrap();
    expect_problem(response, 404).await;

    let listed = app.client.list_attachments(&user(), created.ticket.id).await.unwrap();
    assert_eq!(listed, created.attachments);
    let view = app.client.ticket_view(&user(), created.ticket.id).await.unwrap();
    assert_eq!(view.attachments, created.attachments, "the ticket page's view lists them");
}

#[tokio::test]
async fn a_message_brings_a_jpeg_and_the_change_feed_carries_only_metadata() {
    let app = spawn_app().await;
    let ticket = app.create("Window", "The window in the library does not close.").await;
    let jpeg = picture(100, 300, ImageFormat::Jpeg);
    let posted = app
        .client
        .post_message_with_files(
            &staff("Ben"),
            ticket.id,
            "Is it this one?",
            vec![file("window.jpg", jpeg.clone())],
        )
        .await
        .unwrap();
    let [photo] = &posted.attachments[..] else { panic!("one attachment") };
    assert_eq!((photo.content_type.as_str(), photo.message_id), ("image/jpeg", Some(posted.message.id)));
    let (status, headers, bytes) = fetch(&app, &format!("/attachments/{}", photo.id)).await;
    assert_eq!((status, header(&headers, "content-type")), (200, "image/jpeg"));
    assert_eq!(bytes, jpeg);
    let thumb = fetch(&app, &format!("/attachments/{}/thumbnail", photo.id)).await.2;
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (100, 300), "a small photo is not enlarged");
    assert_eq!(app.client.get_ticket(&user(), ticket.id).await.unwrap().message_count, 1);

    let feed = app.client.changes(0, 10).await.unwrap();
    assert_eq!(feed.changes.len(), 1);
    assert_eq!(feed.changes[0].attachments, posted.attachments, "the feed carries the metadata");
    let raw = app.request(Method::GET, "/changes").send().await.unwrap().text().await.unwrap();
    assert!(raw.contains("\"file_name\":\"window.jpg\""), "{raw}");
    assert!(raw.len() < jpeg.len(), "the feed never carries the bytes ({} bytes of feed)", raw.len());
}

#[tokio::test]
async fn bad_files_are_refused_with_a_sentence_and_nothing_is_stored() {
    let app = spawn_app().await;
    let photo = picture(20, 20, ImageFormat::Png);
    let html = b"<!doctype html><html><script>document.title='pwned'</script></html>".to_vec();
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>".to_vec();
    let cases: Vec<(&str, Vec<UploadFile>, u16, &str)> = vec![
        (
            "HTML renamed .png",
            vec![file("photo.png", html)],
            422,
            "photo.png is not a photo (PNG or JPEG) or a PDF",
        ),
        ("SVG with a script", vec![file("drawing.svg", svg)], 422, "drawing.svg is not a photo"),
        ("zero bytes", vec![file("empty.jpg", Vec::new())], 422, "empty.jpg is empty (0 bytes)"),
        (
            "11 MiB",
            vec![file("huge.pdf", [b"%PDF-".as_slice(), &vec![b'x'; 11 * 1024 * 1024]].concat())],
            413,
            "huge.pdf is larger than 10 MiB",
        ),
        (
            "a damaged PNG",
            vec![file("cut.png", photo[..40].to_vec())],
            422,
            "cut.png looks like a photo but cannot be read",
        ),
        (
            "six files",
            (0..6).map(|i| file(&format!("p{i}.png"), photo.clone())).collect(),
            422,
            "at most 5 files",
        ),
        (
            "a good photo before a bad file",
            vec![file("ok.png", photo.clone()), file("bad.png", b"GIF89a".to_vec())],
            422,
            "bad.png is not a photo",
        ),
    ];
    for (case, files, status, sentence) in cases {
        let err = app.client.create_ticket_with_files(&user(), &heating(), files).await.unwrap_err();
        let problem = problem_of(err, status);
        assert!(problem.detail.starts_with(sentence), "{case}: {:?}", problem.detail);
        if status == 422 {
            assert_eq!(problem.field.as_deref(), Some("files"), "{case}");
        }
        assert_eq!(ticket_count(&app).await, 0, "{case}: a refused report stored its ticket");
    }
    assert!(app.client.changes(0, 10).await.unwrap().changes.is_empty(), "nothing reached the feed");

    let ticket = app.create("Lift", "The lift in building B is stuck.").await;
    let err = app
        .client
        .post_message_with_files(
            &user(),
            ticket.id,
            "Here is a photo",
            vec![file("x.png", b"<html>".to_vec())],
        )
        .await
        .unwrap_err();
    problem_of(err, 422);
    assert_eq!(
        app.client.get_ticket(&user(), ticket.id).await.unwrap().message_count,
        0,
        "no message stored"
    );
    assert!(app.client.list_attachments(&user(), ticket.id).await.unwrap().is_empty());

    let err = app
        .client
        .create_ticket_with_files(
            &user(),
            &CreateTicketRequest { title: " ".into(), ..heating() },
            vec![file("ok.png", photo)],
        )
        .await
        .unwrap_err();
    assert_eq!(problem_of(err, 422).field.as_deref(), Some("title"));
    assert_eq!(ticket_count(&app).await, 1, "only the plain ticket exists");
}

#[tokio::test]
async fn uploads_are_multipart_and_files_of_closed_tickets_stay_with_staff() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/ticket-uploads")
        .json(&json!({"title": "x", "description": "y"}))
        .send()
        .await
        .unwrap();
    expect_problem(response, 415).await;
    let response = app.request(Method::GET, "/attachments/abc").send().await.unwrap();
    expect_problem(response, 400).await;
    let response = app.request(Method::GET, "/attachments/999").send().await.unwrap();
    expect_problem(response, 404).await;

    let created = app
        .client
        .create_ticket_with_files(
            &user(),
            &heating(),
            vec![file("radiator.png", picture(10, 10, ImageFormat::Png))],
        )
        .await
        .unwrap();
    let id = created.attachments[0].id;
    for step in [Status::Active, Status::Closed] {
        app.client.set_status(&staff("Ana"), created.ticket.id, step).await.unwrap();
    }
    problem_of(app.client.attachment(&user(), id, false).await.unwrap_err(), 404);
    problem_of(app.client.attachment(&user(), id, true).await.unwrap_err(), 404);
    problem_of(app.client.list_attachments(&user(), created.ticket.id).await.unwrap_err(), 404);
    let body = app.client.attachment(&staff("Ana"), id, true).await.unwrap();
    assert_eq!(body.content_type, "image/jpeg");

    // The reporter, holding the private token from the 201, still gets the photo of the
    // closed ticket, and only the files of that ticket.
    let token = &created.reporter_token;
    assert_eq!(token.len(), 22, "the upload's answer carries the private token");
    let view = app.client.reporter_view(token).await.unwrap();
    assert_eq!(view.attachments, created.attachments, "the reporter's view lists the files");
    let photo = app.client.reporter_attachment(token, id, false).await.unwrap();
    assert_eq!(photo.bytes, picture(10, 10, ImageFormat::Png), "byte for byte");
    assert_eq!(photo.content_type, "image/png");
    assert_eq!(app.client.reporter_attachment(token, id, true).await.unwrap().content_type, "image/jpeg");
    let other = app
        .client
        .create_ticket_with_files(
            &user(),
            &heating(),
            vec![file("other.png", picture(8, 8, ImageFormat::Png))],
        )
        .await
        .unwrap();
    let foreign = other.attachments[0].id;
    problem_of(app.client.reporter_attachment(token, foreign, false).await.unwrap_err(), 404);
    problem_of(app.client.reporter_attachment("AAAAAAAAAAAAAAAAAAAAAA", id, false).await.unwrap_err(), 404);
    let response =
        app.request(Method::GET, &format!("/reporter/{token}/attachments/abc")).send().await.unwrap();
    expect_problem(response, 400).await;
}

#[tokio::test]
async fn an_upload_subscribes_the_reporter_only_when_e_mail_updates_are_on() {
    let app = spawn_app().await;
    let with_address = CreateTicketRequest { reporter_email: Some("ana@campus.test".into()), ..heating() };
    let refused = app
        .client
        .create_ticket_with_files(
            &user(),
            &with_address,
            vec![file("a.png", picture(4, 4, ImageFormat::Png))],
        )
        .await
        .unwrap_err();
    let problem = problem_of(refused, 422);
    assert_eq!(problem.field.as_deref(), Some("reporter_email"), "no mail server here: {problem:?}");
    assert_eq!(ticket_count(&app).await, 0, "nothing stored");
}
