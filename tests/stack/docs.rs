//! The manual and the README show only screenshots that exist, each in its four variants (light
//! and dark, desktop and phone; `scripts/screenshots` retakes them from the browser tests).

use std::path::Path;

/// The screenshot names (`NAME.png`, without a variant suffix) that a Markdown file points at
/// under `screenshots/`.
fn screenshots_named_in(text: &str) -> Vec<String> {
    text.match_indices("screenshots/")
        .filter_map(|(at, prefix)| {
            let rest = &text[at + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))?;
            rest[..end].strip_suffix(".png").map(str::to_owned)
        })
        .collect()
}

#[test]
fn every_screenshot_the_docs_show_exists_light_dark_desktop_and_phone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    let mut seen = 0;
    for doc in ["docs/manual.md", "README.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("the doc");
        for name in screenshots_named_in(&text) {
            seen += 1;
            let base = name.trim_end_matches("-dark").trim_end_matches("-mobile");
            for variant in ["", "-dark", "-mobile", "-mobile-dark"] {
                let file = root.join(format!("docs/screenshots/{base}{variant}.png"));
                if !file.is_file() {
                    missing.push(format!("{doc}: {}", file.display()));
                }
            }
        }
    }
    assert!(seen > 20, "the docs show {seen} screenshots");
    assert!(missing.is_empty(), "run scripts/screenshots; missing:\n{}", missing.join("\n"));
}
