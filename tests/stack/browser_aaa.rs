//! Issue 12, point 2: body text reaches WCAG 2.1 level AAA contrast (axe-core's
//! `color-contrast-enhanced`: 7:1, or 4.5:1 for large text) on every page the A/AA test visits,
//! in the light and the dark scheme, at desktop and at phone width.

use crate::browser::{AxeTour, axe_script};

/// Only axe-core's AAA contrast rule (off by default, so it is named here).
const AXE_AAA_CONTRAST: &str = "{ type: 'rule', values: ['color-contrast-enhanced'] }";

#[tokio::test]
async fn body_text_has_aaa_contrast_in_the_light_and_the_dark_scheme() {
    let axe = axe_script();
    let tour = AxeTour::start().await;
    let failures = tour.run(&axe, AXE_AAA_CONTRAST).await;
    assert!(failures.is_empty(), "text below WCAG AAA contrast:\n{}", failures.join("\n"));
    tour.close().await;
}
