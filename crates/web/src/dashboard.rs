//! The staff dashboard (`GET /dashboard`): pick one of the three analyses of the analytics
//! service, see it as a server-rendered SVG chart with a text alternative, and the table behind
//! it. Campus users get the 403 page. When the analytics service cannot be reached (502) or is
//! still loading tickets (it answers 503, "Not ready"; the page answers 503 too) the page still
//! renders, tabs and period form included, with a message saying which in place of the chart.

use api::{ActiveByCategory, ClientError, Period, PeriodUnit, ResolutionReport, UnclosedReport};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::chart;
use crate::error::{self, ANALYTICS_SERVICE, WebError, read_failure};
use crate::extract::{WebQuery, non_blank};
use crate::page::{HtmlTemplate, Layout, Section};
use crate::session::Session;
use crate::view::{Choice, format_time};

/// Query of `GET /dashboard`: `view` = `unclosed` (default) | `resolution` | `categories`;
/// for `unclosed` also `amount` (whole number) and `unit` (`hours` | `days`, default 7 days);
/// `seq` for the live refresh.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DashboardQuery {
    view: Option<String>,
    amount: Option<String>,
    unit: Option<String>,
    /// The `seq` of a change (from `GET /live`) the figures should include: the page then says
    /// whether the analytics service has read that far ([`DashboardTemplate::caught_up`]), so
    /// the live refresh (`static/live.js`) asks again until it has.
    seq: Option<i64>,
}

/// The three analyses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Analysis {
    Unclosed,
    Resolution,
    Categories,
}

impl Analysis {
    const ALL: [Analysis; 3] = [Analysis::Unclosed, Analysis::Resolution, Analysis::Categories];

    fn slug(self) -> &'static str {
        match self {
            Analysis::Unclosed => "unclosed",
            Analysis::Resolution => "resolution",
            Analysis::Categories => "categories",
        }
    }

    /// The tab's name in the request's language.
    fn label(self) -> String {
        crate::language::current().t(match self {
            Analysis::Unclosed => "dash-tab-unclosed",
            Analysis::Resolution => "dash-tab-resolution",
            Analysis::Categories => "dash-tab-categories",
        })
    }
}

/// A link of the analysis tabs or the quick picks.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub(crate) href: String,
    pub(crate) label: String,
    pub(crate) current: bool,
}

/// The table behind a chart.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub(crate) caption: String,
    pub(crate) head: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

/// One analysis result as shown: heading, text alternative, chart and table.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChartView {
    pub(crate) heading: String,
    /// The chart's text alternative: what it shows, in one or two sentences.
    pub(crate) summary: String,
    /// The chart, wide and compact (see [`chart::ChartSvg`]); `None` when there is nothing to
    /// draw (the summary says so).
    pub(crate) svg: Option<chart::ChartSvg>,
    pub(crate) table: Table,
}

/// `templates/dashboard/index.html`.
#[derive(Template)]
#[template(path = "dashboard/index.html")]
pub(crate) struct DashboardTemplate {
    pub(crate) layout: Layout,
    pub(crate) tabs: Vec<Link>,
    pub(crate) view: &'static str,
    pub(crate) amount: String,
    pub(crate) units: Vec<Choice>,
    pub(crate) amount_error: Option<String>,
    pub(crate) quick: Vec<Link>,
    pub(crate) result: Option<ChartView>,
    /// Set when the analytics service could not answer: shown instead of the chart.
    pub(crate) unavailable: Option<Unavailable>,
    /// The classifier card; `None` when the ticket service could not say.
    pub(crate) classifier: Option<ClassifierCard>,
    /// When the figures were read, campus time: "14:05:09" (and RFC 3339 UTC for `<time>`).
    pub(crate) updated_at: String,
    pub(crate) updated_iso: String,
    /// Whether the figures include the change `seq` of the query asked for (`true` without
    /// one, and `false` when the analytics service could not say).
    pub(crate) caught_up: bool,
}

/// Why no figures are shown, in place of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unavailable {
    /// "Analytics unavailable" or "Figures on their way".
    pub(crate) heading: String,
    /// the catalogue's `dash-unreachable` or `dash-loading`.
    pub(crate) sentence: String,
    /// True while the service is loading: the page offers to load the figures again.
    pub(crate) loading: bool,
}

/// The dashboard's small card on automatic categorisation, from `GET /api/v1/classifier`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClassifierCard {
    /// "92%" of automatic categories kept by staff, or "no automatic categories yet".
    pub(crate) accuracy: String,
    /// "3 of 40 automatic categories were corrected".
    pub(crate) accuracy_detail: String,
    /// Staff corrections recorded.
    pub(crate) corrections: i64,
    /// "4 of 5" corrected tickets the model now files as staff did.
    pub(crate) now_right: String,
    /// "3,105 texts, 21 Nov 2026, 10:14".
    pub(crate) model: String,
    pub(crate) retraining: bool,
}

impl ClassifierCard {
    pub(crate) fn new(status: &api::ClassifierStatus, tz: &jiff::tz::TimeZone) -> Self {
        let lang = crate::language::current();
        let (accuracy, accuracy_detail) = match status.auto_accuracy {
            Some(accuracy) => (
                crate::view::percent(accuracy),
                lang.t_with(
                    "dash-accuracy-detail",
                    &[("corrected", status.corrected.into()), ("total", status.auto_categorised.into())],
                ),
            ),
            None => ("–".to_owned(), lang.t("dash-accuracy-none")),
        };
        ClassifierCard {
            accuracy,
            accuracy_detail,
            corrections: status.corrections,
            now_right: lang.t_with(
                "dash-of",
                &[("part", status.corrections_now_right.into()), ("whole", status.corrected_texts.into())],
            ),
            model: lang.t_with(
                "dash-model-trained",
                &[
                    ("count", status.training_examples.into()),
                    ("when", format_time(status.trained_at, tz).into()),
                ],
            ),
            retraining: status.retraining,
        }
    }
}

/// Parses the period form into the analysis period (limits: [`PeriodUnit::max`], the same the
/// analytics service applies). Errors: a sentence for the person, shown next to the number.
pub(crate) fn parse_period(amount: &str, unit: &str) -> Result<Period, String> {
    let lang = crate::language::current();
    let unit = unit.parse::<PeriodUnit>().map_err(|_| lang.t("dash-unit-invalid"))?;
    let unit_name = lang.t_with("dash-unit-name", &[("unit", unit.to_string().into())]);
    let amount = amount.trim();
    if amount.is_empty() {
        return Err(lang.t_with("dash-amount-empty", &[("unit", unit_name.into())]));
    }
    amount.parse::<u32>().ok().and_then(|n| Period::new(unit, n).ok()).ok_or_else(|| {
        lang.t_with(
            "dash-amount-invalid",
            &[("unit", unit_name.into()), ("max", unit.max().to_string().into()), ("amount", amount.into())],
        )
    })
}

const QUICK_PICKS: [(u32, &str); 4] = [(24, "hours"), (3, "days"), (7, "days"), (30, "days")];

fn unit_choices(selected: &str) -> Vec<Choice> {
    [("hours", "hours"), ("days", "days")]
        .into_iter()
        .map(|(value, label)| Choice { value, label: label.to_owned(), selected: value == selected })
        .collect()
}

/// What went wrong asking the analytics service, for the page.
enum Failure {
    /// The service refused the input: shown next to the period.
    Input(String),
    /// The service cannot be reached: shown instead of the chart.
    Unavailable,
    /// The service answers but is still loading tickets (503 problem, "Not ready"): shown
    /// instead of the chart.
    Loading,
}

fn failure(err: ClientError) -> Result<Failure, WebError> {
    match read_failure(&err) {
        error::Failure::Refused(problem) => Ok(Failure::Input(problem.to_string())),
        error::Failure::NotReady => Ok(Failure::Loading),
        error::Failure::Unreachable => Ok(Failure::Unavailable),
        error::Failure::Forbidden(_) | error::Failure::NotFound(_) => {
            Err(WebError::from_client(ANALYTICS_SERVICE, err))
        }
    }
}

/// The view of analysis 1.
pub(crate) fn unclosed_view(
    report: &UnclosedReport,
    period: Period,
    tz: &jiff::tz::TimeZone,
) -> anyhow::Result<ChartView> {
    let labels = chart::bucket_labels(report, tz);
    let slice = if labels.first().is_some_and(|l| l.contains(':')) { "hour" } else { "day" };
    let lang = crate::language::current();
    let last = lang.t_with(
        "dash-period",
        &[("amount", period.amount().into()), ("unit", period.unit().to_string().into())],
    );
    let summary = lang.t_with(
        "dash-unclosed-summary",
        &[
            ("count", report.count.into()),
            ("period", last.as_str().into()),
            ("since", format_time(report.since, tz).into()),
            ("open", report.open.into()),
            ("active", report.active.into()),
            ("slice", slice.into()),
        ],
    );
    let rows = report
        .buckets
        .iter()
        .zip(&labels)
        .map(|(b, label)| {
            vec![
                format!("{label} ({})", format_time(b.start, tz)),
                b.open.to_string(),
                b.active.to_string(),
                (b.open + b.active).to_string(),
            ]
        })
        .chain(std::iter::once(vec![
            lang.t("dash-all"),
            report.open.to_string(),
            report.active.to_string(),
            report.count.to_string(),
        ]))
        .collect();
    Ok(ChartView {
        heading: lang.t_with("dash-unclosed-heading", &[("period", last.as_str().into())]),
        summary,
        svg: if report.buckets.is_empty() { None } else { Some(chart::unclosed_chart(report, tz)?) },
        table: Table {
            caption: lang.t_with("dash-unclosed-caption", &[("slice", slice.into())]),
            head: vec![
                lang.t("dash-col-opened"),
                crate::view::status_name(domain::Status::Open),
                crate::view::status_name(domain::Status::Active),
                lang.t("dash-col-unclosed"),
            ],
            rows,
        },
    })
}

/// The view of analysis 2.
pub(crate) fn resolution_view(report: &ResolutionReport) -> anyhow::Result<ChartView> {
    let lang = crate::language::current();
    let summary = match (report.months.first(), report.months.last()) {
        (Some(first), Some(last)) => {
            let slowest = report
                .months
                .iter()
                .max_by(|a, b| a.mean_hours.total_cmp(&b.mean_hours))
                .map(|m| {
                    lang.t_with(
                        "dash-slowest",
                        &[
                            ("month", chart::month_label(&m.month).into()),
                            ("hours", lang.one_decimal(m.mean_hours).into()),
                        ],
                    )
                })
                .unwrap_or_default();
            lang.t_with(
                "dash-resolution-summary",
                &[
                    ("first", chart::month_label(&first.month).into()),
                    ("last", chart::month_label(&last.month).into()),
                    ("zone", report.time_zone.as_str().into()),
                    ("slowest", slowest.into()),
                ],
            )
        }
        _ => lang.t("dash-resolution-none"),
    };
    let rows = report
        .months
        .iter()
        .map(|m| {
            vec![
                chart::month_label(&m.month),
                m.closed.to_string(),
                lang.one_decimal(m.mean_hours),
                lang.one_decimal(m.median_hours),
            ]
        })
        .collect();
    Ok(ChartView {
        heading: lang.t("dash-resolution-heading"),
        summary,
        svg: if report.months.is_empty() { None } else { Some(chart::resolution_chart(report)?) },
        table: Table {
            caption: lang.t("dash-resolution-caption"),
            head: vec![
                lang.t("dash-col-month"),
                lang.t("dash-col-closed"),
                lang.t("dash-col-mean"),
                lang.t("dash-col-median"),
            ],
            rows,
        },
    })
}

/// The view of analysis 3.
pub(crate) fn category_view(report: &ActiveByCategory) -> anyhow::Result<ChartView> {
    let lang = crate::language::current();
    let parts: Vec<String> = report
        .categories
        .iter()
        .map(|c| format!("{} {}", crate::view::category_name(c.category), c.active))
        .collect();
    let total: u64 = report.categories.iter().map(|c| c.active).sum();
    Ok(ChartView {
        heading: lang.t("dash-categories-heading"),
        summary: lang.t_with(
            "dash-categories-summary",
            &[("total", total.into()), ("parts", parts.join(", ").into())],
        ),
        svg: Some(chart::category_chart(report)?),
        table: Table {
            caption: lang.t("dash-categories-heading"),
            head: vec![lang.t("fact-category"), lang.t("dash-col-active")],
            rows: report
                .categories
                .iter()
                .map(|c| vec![crate::view::category_name(c.category), c.active.to_string()])
                .collect(),
        },
    })
}

/// `GET /dashboard`: staff only (campus users get the 403 page).
pub(crate) async fn show_dashboard(
    State(state): State<AppState>,
    session: Session,
    WebQuery(query): WebQuery<DashboardQuery>,
) -> Result<Response, WebError> {
    if !session.is_staff() {
        return Err(WebError::Forbidden(
            "The dashboard is for helpdesk staff. You are here as a campus user; switch role on the start \
             page if you work at the helpdesk."
                .to_owned(),
        ));
    }
    let analysis = match non_blank(query.view.as_deref()) {
        None => Analysis::Unclosed,
        Some(v) => Analysis::ALL
            .into_iter()
            .find(|a| a.slug() == v)
            .ok_or_else(|| WebError::NotFound(format!("There is no analysis called \u{201c}{v}\u{201d}.")))?,
    };
    let classifier = match state.tickets.classifier_status().await {
        Ok(status) => Some(ClassifierCard::new(&status, &state.tz)),
        Err(err) => {
            tracing::warn!(error = %err, "the classifier status could not be loaded");
            None
        }
    };
    // Asked before the figures, so "caught up" holds for the figures read after it.
    let caught_up = match query.seq {
        None => true,
        Some(seq) => state.analytics.cursor().await.is_ok_and(|cursor| cursor >= seq),
    };
    let now = jiff::Timestamp::now();
    let amount = query.amount.clone().unwrap_or_else(|| "7".to_owned());
    let unit = query.unit.clone().unwrap_or_else(|| "days".to_owned());
    let mut page = DashboardTemplate {
        layout: session.layout(Section::Dashboard).live_dashboard(),
        tabs: Analysis::ALL
            .into_iter()
            .map(|a| Link {
                href: format!("/dashboard?view={}", a.slug()),
                label: a.label(),
                current: a == analysis,
            })
            .collect(),
        view: analysis.slug(),
        units: unit_choices(unit.trim()),
        quick: QUICK_PICKS
            .into_iter()
            .map(|(n, u)| Link {
                href: format!("/dashboard?view=unclosed&amount={n}&unit={u}"),
                label: crate::language::current()
                    .t_with("dash-quick-pick", &[("amount", n.into()), ("unit", u.into())]),
                current: amount.trim() == n.to_string() && unit.trim() == u,
            })
            .collect(),
        amount,
        amount_error: None,
        result: None,
        unavailable: None,
        classifier,
        updated_at: now.to_zoned(state.tz.clone()).strftime("%H:%M:%S").to_string(),
        updated_iso: now.to_string(),
        caught_up,
    };
    let outcome = match analysis {
        Analysis::Unclosed => match parse_period(&page.amount, &unit) {
            Err(message) => {
                page.amount_error = Some(message);
                return Ok(HtmlTemplate::with_status(page, StatusCode::UNPROCESSABLE_ENTITY).into_response());
            }
            Ok(period) => match state.analytics.unclosed(period).await {
                Ok(report) => Ok(unclosed_view(&report, period, &state.tz)?),
                Err(err) => Err(failure(err)?),
            },
        },
        Analysis::Resolution => match state.analytics.resolution_time().await {
            Ok(report) => Ok(resolution_view(&report)?),
            Err(err) => Err(failure(err)?),
        },
        Analysis::Categories => match state.analytics.active_by_category().await {
            Ok(report) => Ok(category_view(&report)?),
            Err(err) => Err(failure(err)?),
        },
    };
    let status = match outcome {
        Ok(view) => {
            page.result = Some(view);
            StatusCode::OK
        }
        Err(Failure::Input(message)) => {
            page.amount_error = Some(message);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(Failure::Unavailable) => {
            page.unavailable = Some(Unavailable {
                heading: crate::language::current().t("dash-unreachable-heading"),
                sentence: crate::language::current().t("dash-unreachable"),
                loading: false,
            });
            StatusCode::BAD_GATEWAY
        }
        Err(Failure::Loading) => {
            page.unavailable = Some(Unavailable {
                heading: crate::language::current().t("dash-loading-heading"),
                sentence: crate::language::current().t("dash-loading"),
                loading: true,
            });
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    Ok(HtmlTemplate::with_status(page, status).into_response())
}

#[cfg(test)]
mod tests;
