//! Unit tests of the dashboard: the period form, the classifier card and a view built from a report.

#![allow(clippy::unwrap_used)]

use super::*;

#[test]
fn periods_are_whole_positive_numbers_within_limits() {
    assert_eq!(parse_period(" 24 ", "hours"), Period::new(PeriodUnit::Hours, 24).map_err(|e| e.to_string()));
    assert_eq!(parse_period("30", "days"), Period::new(PeriodUnit::Days, 30).map_err(|e| e.to_string()));
    assert!(parse_period("3650", "days").is_ok() && parse_period("8760", "hours").is_ok());
    assert!(parse_period("0", "days").unwrap_err().contains("from 1 to 3650"));
    assert!(parse_period("8761", "hours").unwrap_err().contains("from 1 to 8760"));
    assert!(parse_period("1.5", "days").unwrap_err().contains("\u{201c}1.5\u{201d}"));
    assert!(parse_period("", "hours").unwrap_err().contains("how many hours"));
    assert!(parse_period("3", "weeks").unwrap_err().contains("hours or days"));
}

#[test]
fn bad_period_keeps_the_typed_value_in_the_form() {
    let page = DashboardTemplate {
        layout: Layout::anonymous(Section::Dashboard),
        tabs: vec![],
        view: "unclosed",
        amount: "seven".into(),
        units: unit_choices("days"),
        amount_error: parse_period("seven", "days").err(),
        quick: vec![],
        result: None,
        unavailable: None,
        classifier: None,
        updated_at: "14:05:09".into(),
        updated_iso: "2026-11-30T13:05:09Z".into(),
        caught_up: true,
    };
    let html = page.render().unwrap();
    assert!(html.contains("value=\"seven\""));
    assert!(html.contains("is not one"));
    assert!(html.contains("<option value=\"days\" selected>"));
}

#[test]
fn the_classifier_card_shows_accuracy_and_learning() {
    let status = api::ClassifierStatus {
        trained_at: "2026-11-21T09:14:03Z".parse().unwrap(),
        training_examples: 3105,
        corrections: 6,
        corrected_texts: 5,
        auto_categorised: 40,
        corrected: 3,
        auto_accuracy: Some(0.925),
        corrections_now_right: 4,
        retraining: true,
    };
    let card = ClassifierCard::new(&status, &jiff::tz::TimeZone::get("Europe/Berlin").unwrap());
    assert_eq!(card.accuracy, "92%");
    assert_eq!(card.accuracy_detail, "3 of 40 automatic categories were corrected by staff");
    assert_eq!(card.now_right, "4 of 5");
    assert_eq!(card.model, "trained on 3,105 texts, 21 Nov 2026, 10:14");
    let page = DashboardTemplate {
        layout: Layout::anonymous(Section::Dashboard),
        tabs: vec![],
        view: "categories",
        amount: "7".into(),
        units: unit_choices("days"),
        amount_error: None,
        quick: vec![],
        result: None,
        unavailable: None,
        classifier: Some(card),
        updated_at: "14:05:09".into(),
        updated_iso: "2026-11-30T13:05:09Z".into(),
        caught_up: true,
    };
    let html = page.render().unwrap();
    assert!(html.contains("Automatic categories"));
    assert!(html.contains("92%") && html.contains("4 of 5"));
    assert!(html.contains("Learning from the latest corrections"));
}

#[test]
fn category_view_has_a_text_alternative_and_table() {
    use api::CategoryCount;
    use domain::Category;
    let report = ActiveByCategory {
        categories: Category::ALL.into_iter().map(|c| CategoryCount { category: c, active: 1 }).collect(),
    };
    let view = category_view(&report).unwrap();
    assert_eq!(view.summary, "3 tickets are active: Facility management 1, Technical IT 1, Services 1.");
    assert_eq!(view.table.rows.len(), 3);
    assert!(view.svg.unwrap().compact.contains("<rect"));
}
