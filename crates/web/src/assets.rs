//! The static assets (`GET /static/{file}`): the stylesheet, the live-update script, the
//! new-ticket form's category hint script, the character counter, the form checks, the keyboard
//! shortcuts, the list's filter fold, the text helper those scripts share (`text.js`: puts the
//! page's own sentences together with counts) and the icon, embedded in the binary from `static/`
//! so nothing is fetched from anywhere else.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::WebError;

const STYLE_CSS: &str = include_str!("../static/style.css");
pub(crate) const LIVE_JS: &str = include_str!("../static/live.js");
pub(crate) const HINT_JS: &str = include_str!("../static/hint.js");
pub(crate) const COUNT_JS: &str = include_str!("../static/count.js");
pub(crate) const KEYS_JS: &str = include_str!("../static/keys.js");
pub(crate) const FOLD_JS: &str = include_str!("../static/fold.js");
pub(crate) const FORMS_JS: &str = include_str!("../static/forms.js");
pub(crate) const TEXT_JS: &str = include_str!("../static/text.js");
const FAVICON_SVG: &str = include_str!("../static/favicon.svg");

/// `GET /static/{file}`: `style.css`, `live.js`, `hint.js`, `count.js`, `keys.js`, `fold.js`,
/// `forms.js`, `text.js` or `favicon.svg`;
/// anything else is the 404 page.
pub(crate) async fn serve_asset(Path(file): Path<String>) -> Result<Response, WebError> {
    let (content_type, body) = match file.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLE_CSS),
        "live.js" => ("text/javascript; charset=utf-8", LIVE_JS),
        "hint.js" => ("text/javascript; charset=utf-8", HINT_JS),
        "count.js" => ("text/javascript; charset=utf-8", COUNT_JS),
        "keys.js" => ("text/javascript; charset=utf-8", KEYS_JS),
        "fold.js" => ("text/javascript; charset=utf-8", FOLD_JS),
        "forms.js" => ("text/javascript; charset=utf-8", FORMS_JS),
        "text.js" => ("text/javascript; charset=utf-8", TEXT_JS),
        "favicon.svg" => ("image/svg+xml", FAVICON_SVG),
        _ => return Err(WebError::NotFound("There is no such file.".to_owned())),
    };
    Ok(([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], body)
        .into_response())
}
