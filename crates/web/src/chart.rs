//! Server-side charts of the dashboard, drawn with plotters into an SVG string.
//!
//! Each chart is drawn twice ([`ChartSvg`]): at 760 × 360 units for wide screens and at
//! 320 × 300 for phones (below 48rem). plotters writes a font of size S as `font-size` S / 1.24,
//! so the phone drawing's text (17, written 13.7 units) stays above 11 CSS px when the page
//! scales the chart down to the 286 px wide card of a 360 px screen, and the wide drawing's
//! (16, written 12.9) stays above 11 px from the 697 px card of a 48rem screen up.
//!
//! The SVG is inlined in the page. plotters writes colours, fonts and opacity as presentation
//! attributes (`fill="#..."`), never `style="..."`, so the strict Content-Security-Policy
//! (`style-src 'self'`) is kept. Each chart has a text alternative and a table on the page.

use anyhow::Context as _;
use api::{ActiveByCategory, ResolutionReport, UnclosedReport};
use jiff::tz::TimeZone;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A dashboard chart in its two drawings: `wide` (760 × 360 SVG units, font 16) and
/// `compact` (320 × 300, font 17, at most 3 x labels, short category names) for screens
/// narrower than 48rem. Both are complete `<svg>` elements with the same bars.
#[derive(Debug, Clone)]
pub(crate) struct ChartSvg {
    /// The drawing for wide screens.
    pub(crate) wide: String,
    /// The drawing for phones.
    pub(crate) compact: String,
}

/// Which of the two drawings of a chart is being drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Size {
    Wide,
    Compact,
}

impl Size {
    /// (width, height) in SVG user units; the page scales the chart to the width available.
    fn dimensions(self) -> (u32, u32) {
        match self {
            Size::Wide => (760, 360),
            Size::Compact => (320, 300),
        }
    }

    /// Font size as plotters takes it (it writes `font-size` as this / 1.24 SVG units).
    fn font(self) -> u32 {
        match self {
            Size::Wide => 16,
            Size::Compact => 17,
        }
    }

    /// The most x labels that fit side by side.
    fn max_x_labels(self) -> usize {
        match self {
            Size::Wide => 12,
            Size::Compact => 3,
        }
    }
}

/// Draws a chart in both sizes with `draw`.
fn both(draw: impl Fn(Size) -> anyhow::Result<String>) -> anyhow::Result<ChartSvg> {
    Ok(ChartSvg { wide: draw(Size::Wide)?, compact: draw(Size::Compact)? })
}

/// Colours (also used by the legends in the page's tables via CSS classes of the same names).
pub(crate) const OPEN_COLOUR: RGBColor = RGBColor(0x25, 0x63, 0xEB);
pub(crate) const ACTIVE_COLOUR: RGBColor = RGBColor(0xD9, 0x77, 0x06);
pub(crate) const MEAN_COLOUR: RGBColor = RGBColor(0x0F, 0x76, 0x6E);
pub(crate) const MEDIAN_COLOUR: RGBColor = RGBColor(0x7C, 0x3A, 0xED);
pub(crate) const CATEGORY_COLOURS: [RGBColor; 3] =
    [RGBColor(0x15, 0x80, 0x3D), RGBColor(0x43, 0x38, 0xCA), RGBColor(0xBE, 0x18, 0x5D)];
const INK: RGBColor = RGBColor(0x1F, 0x29, 0x37);

const FONT: &str = "sans-serif";

/// A tick label on a count axis: whole numbers only (no "0.5 tickets").
fn count_label(y: &f64) -> String {
    if (y - y.round()).abs() < 1e-9 { format!("{y:.0}") } else { String::new() }
}

/// Top of the y axis: about a third above the tallest bar (room for the legend), at least `floor`.
fn y_top(max: f64, floor: f64) -> f64 {
    (max * 1.3).max(floor).ceil()
}

/// Label of the bar at `x` of `labels` (bars sit on whole numbers); empty between bars.
fn bar_label(labels: &[String], x: f64) -> String {
    if (x - x.round()).abs() > 1e-9 || x < 0.0 {
        return String::new();
    }
    labels.get(x.round() as usize).cloned().unwrap_or_default()
}

/// How many x labels fit: every bar up to 12 (3 on a phone), then fewer.
fn x_label_count(bars: usize, size: Size) -> usize {
    bars.clamp(1, size.max_x_labels())
}

/// The bars of one chart, drawn on a cartesian grid whose bar `i` sits at x = `i`.
type BarChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The axes every dashboard chart shares.
struct Axes<'l> {
    /// How many bars (at least 1).
    bars: usize,
    /// Top of the y axis (see [`y_top`]).
    y_top: f64,
    /// Width of the y label area, in SVG units.
    y_label_area: u32,
    /// How many x labels to draw.
    x_labels: usize,
    /// One label per bar.
    labels: &'l [String],
    /// The y tick labels.
    y_label: &'l dyn Fn(&f64) -> String,
    /// The y axis title.
    y_desc: &'l str,
    /// Whether to draw the legend of the labelled series (upper right).
    legend: bool,
    /// Which drawing.
    size: Size,
}

/// Draws one dashboard chart into an SVG string: the white background, the `axes`, then
/// whatever `bars` draws on the grid, then the legend when `axes.legend` is set.
///
/// Errors: plotters failing to lay out or draw the chart, with the step that failed.
fn draw_chart(
    axes: Axes<'_>,
    bars: impl FnOnce(&mut BarChart<'_, '_>) -> anyhow::Result<()>,
) -> anyhow::Result<String> {
    let mut svg = String::new();
    {
        let font = axes.size.font();
        let root = SVGBackend::with_string(&mut svg, axes.size.dimensions()).into_drawing_area();
        root.fill(&WHITE).context("drawing the chart background")?;
        let mut chart = ChartBuilder::on(&root)
            .margin(if axes.size == Size::Wide { 16 } else { 8 })
            .x_label_area_size(font * 9 / 4)
            .y_label_area_size(axes.y_label_area)
            .build_cartesian_2d(-0.5f64..(axes.bars as f64 - 0.5), 0f64..axes.y_top)
            .context("laying out the chart")?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(axes.x_labels)
            .x_label_formatter(&|x| bar_label(axes.labels, *x))
            .y_label_formatter(axes.y_label)
            .y_desc(axes.y_desc)
            .label_style((FONT, font).into_font().color(&INK))
            .axis_desc_style((FONT, font).into_font().color(&INK))
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(0xE5, 0xE7, 0xEB))
            .draw()
            .context("drawing the axes")?;
        bars(&mut chart)?;
        if axes.legend {
            draw_legend(&mut chart, font)?;
        }
        root.present().context("finishing the chart")?;
    }
    Ok(svg)
}

/// Draws the legend of the labelled series, in the upper right corner.
fn draw_legend<'a, 'b: 'a>(chart: &mut BarChart<'a, 'b>, font: u32) -> anyhow::Result<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(0xD1, 0xD5, 0xDB))
        .label_font((FONT, font).into_font().color(&INK))
        .draw()
        .context("drawing the legend")?;
    Ok(())
}

/// Labels of the unclosed-report buckets in the campus time zone: "10:00" for hourly
/// buckets, "21 Nov" for daily ones (in the request's language: "21 nov", "21. Nov.").
pub(crate) fn bucket_labels(report: &UnclosedReport, tz: &TimeZone) -> Vec<String> {
    let hourly = match report.buckets.as_slice() {
        [a, b, ..] => b.start.duration_since(a.start).as_secs() < 86_400,
        _ => report.until.duration_since(report.since).as_secs() <= 48 * 3_600,
    };
    let lang = crate::language::current();
    report
        .buckets
        .iter()
        .map(|b| {
            let at = b.start.to_zoned(tz.clone());
            if hourly {
                at.strftime("%H:%M").to_string()
            } else {
                lang.t_with(
                    "day-month",
                    &[("day", at.day().to_string().into()), ("month", at.month().into())],
                )
            }
        })
        .collect()
}

/// Chart of analysis 1: per time slice, the unclosed tickets opened in it, `active` at the
/// bottom and `open` stacked on top.
///
/// Errors: plotters failing to lay out the chart (never expected with these inputs).
pub(crate) fn unclosed_chart(report: &UnclosedReport, tz: &TimeZone) -> anyhow::Result<ChartSvg> {
    both(|size| unclosed_svg(report, tz, size))
}

fn unclosed_svg(report: &UnclosedReport, tz: &TimeZone, size: Size) -> anyhow::Result<String> {
    let labels = bucket_labels(report, tz);
    let lang = crate::language::current();
    let y_desc = lang.t("dash-tab-unclosed");
    let n = report.buckets.len().max(1);
    let max = report.buckets.iter().map(|b| (b.open + b.active) as f64).fold(0.0, f64::max);
    let axes = Axes {
        bars: n,
        y_top: y_top(max, 4.0),
        y_label_area: 48,
        x_labels: x_label_count(n, size),
        labels: &labels,
        y_label: &count_label,
        y_desc: &y_desc,
        legend: true,
        size,
    };
    draw_chart(axes, |chart| {
        let width = if n > 60 { 0.5 } else { 0.38 };
        chart
            .draw_series(report.buckets.iter().enumerate().filter(|(_, b)| b.active > 0).map(|(i, b)| {
                let x = i as f64;
                Rectangle::new([(x - width, 0.0), (x + width, b.active as f64)], ACTIVE_COLOUR.filled())
            }))
            .context("drawing the active bars")?
            .label(crate::view::status_name(domain::Status::Active))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], ACTIVE_COLOUR.filled()));
        chart
            .draw_series(report.buckets.iter().enumerate().filter(|(_, b)| b.open > 0).map(|(i, b)| {
                let x = i as f64;
                let bottom = b.active as f64;
                Rectangle::new(
                    [(x - width, bottom), (x + width, bottom + b.open as f64)],
                    OPEN_COLOUR.filled(),
                )
            }))
            .context("drawing the open bars")?
            .label(crate::view::status_name(domain::Status::Open))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], OPEN_COLOUR.filled()));
        Ok(())
    })
}

/// "2026-09" as "Sep 2026" in the request's language ("set 2026", "Sept. 2026"); anything
/// unexpected is shown as it is.
pub(crate) fn month_label(month: &str) -> String {
    match format!("{month}-01").parse::<jiff::civil::Date>() {
        Ok(d) => crate::language::current()
            .t_with("month-year", &[("month", d.month().into()), ("year", d.year().to_string().into())]),
        Err(_) => month.to_owned(),
    }
}

/// Chart of analysis 2: per month of opening, the mean (left bar) and median (right bar)
/// resolution time in hours.
///
/// Errors: plotters failing to lay out the chart.
pub(crate) fn resolution_chart(report: &ResolutionReport) -> anyhow::Result<ChartSvg> {
    both(|size| resolution_svg(report, size))
}

fn resolution_svg(report: &ResolutionReport, size: Size) -> anyhow::Result<String> {
    let labels: Vec<String> = report.months.iter().map(|m| month_label(&m.month)).collect();
    let lang = crate::language::current();
    let y_desc = lang.t("chart-hours");
    let n = report.months.len().max(1);
    let max = report.months.iter().map(|m| m.mean_hours.max(m.median_hours)).fold(0.0, f64::max);
    let axes = Axes {
        bars: n,
        y_top: y_top(max, 1.0),
        y_label_area: 56,
        x_labels: x_label_count(n, size),
        labels: &labels,
        y_label: &|y| format!("{y:.0}"),
        y_desc: &y_desc,
        legend: true,
        size,
    };
    draw_chart(axes, |chart| {
        chart
            .draw_series(report.months.iter().enumerate().map(|(i, m)| {
                let x = i as f64;
                Rectangle::new([(x - 0.38, 0.0), (x - 0.02, m.mean_hours)], MEAN_COLOUR.filled())
            }))
            .context("drawing the mean bars")?
            .label(lang.t("chart-mean"))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], MEAN_COLOUR.filled()));
        chart
            .draw_series(report.months.iter().enumerate().map(|(i, m)| {
                let x = i as f64;
                Rectangle::new([(x + 0.02, 0.0), (x + 0.38, m.median_hours)], MEDIAN_COLOUR.filled())
            }))
            .context("drawing the median bars")?
            .label(lang.t("chart-median"))
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 12, y + 6)], MEDIAN_COLOUR.filled()));
        Ok(())
    })
}

/// Chart of analysis 3: one bar per category, the number of active tickets in it.
///
/// Errors: plotters failing to lay out the chart.
pub(crate) fn category_chart(report: &ActiveByCategory) -> anyhow::Result<ChartSvg> {
    both(|size| category_svg(report, size))
}

/// A category's name on the chart, in the request's language: in full when wide, a short
/// name on a phone ("Technical IT" as "IT", `category-short`); the table under the chart
/// names each in full.
fn category_label(category: domain::Category, size: Size) -> String {
    match size {
        Size::Wide => crate::view::category_name(category),
        Size::Compact => {
            crate::language::current().t_with("category-short", &[("category", category.as_str().into())])
        }
    }
}

fn category_svg(report: &ActiveByCategory, size: Size) -> anyhow::Result<String> {
    let labels: Vec<String> = report.categories.iter().map(|c| category_label(c.category, size)).collect();
    let y_desc = crate::language::current().t("dash-col-active");
    let n = report.categories.len().max(1);
    let max = report.categories.iter().map(|c| c.active as f64).fold(0.0, f64::max);
    let axes = Axes {
        bars: n,
        y_top: y_top(max, 4.0),
        y_label_area: 48,
        x_labels: n,
        labels: &labels,
        y_label: &count_label,
        y_desc: &y_desc,
        legend: false,
        size,
    };
    draw_chart(axes, |chart| {
        chart
            .draw_series(report.categories.iter().enumerate().filter(|(_, c)| c.active > 0).map(|(i, c)| {
                let x = i as f64;
                let colour = CATEGORY_COLOURS[c.category.index() % CATEGORY_COLOURS.len()];
                Rectangle::new([(x - 0.3, 0.0), (x + 0.3, c.active as f64)], colour.filled())
            }))
            .context("drawing the bars")?;
        Ok(())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use api::{CategoryCount, MonthResolution, UnclosedBucket};
    use domain::Category;
    use jiff::Timestamp;

    /// Whether plotters wrote `label` as the content of a `<text>` element.
    fn has_text(svg: &str, label: &str) -> bool {
        svg.contains(&format!(">\n{label}\n</text>"))
    }

    fn fill(colour: RGBColor) -> String {
        format!("fill=\"#{:02X}{:02X}{:02X}\"", colour.0, colour.1, colour.2)
    }

    /// Bars drawn in `colour`, minus the one legend swatch when there is a legend.
    fn rects_in(svg: &str, colour: RGBColor) -> usize {
        svg.lines().filter(|l| l.starts_with("<rect") && l.contains(&fill(colour))).count()
    }

    #[test]
    fn unclosed_chart_stacks_open_on_active_per_day() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let day = |d: &str| d.parse::<Timestamp>().unwrap();
        let report = UnclosedReport {
            since: day("2026-11-19T10:00:00Z"),
            until: day("2026-11-22T10:00:00Z"),
            count: 6,
            open: 4,
            active: 2,
            buckets: vec![
                UnclosedBucket { start: day("2026-11-19T10:00:00Z"), open: 1, active: 1 },
                UnclosedBucket { start: day("2026-11-20T10:00:00Z"), open: 0, active: 0 },
                UnclosedBucket { start: day("2026-11-21T10:00:00Z"), open: 3, active: 1 },
            ],
        };
        assert_eq!(bucket_labels(&report, &tz), ["19 Nov", "20 Nov", "21 Nov"]);
        let svg = unclosed_chart(&report, &tz).unwrap().wide;
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("style="), "inline styles would break the CSP");
        // Two non-empty buckets of each kind, plus one legend swatch each.
        assert_eq!(rects_in(&svg, OPEN_COLOUR), 3);
        assert_eq!(rects_in(&svg, ACTIVE_COLOUR), 3);
        assert!(has_text(&svg, "21 Nov"));
        assert!(has_text(&svg, "Open") && has_text(&svg, "Active"));
    }

    #[test]
    fn hourly_buckets_are_labelled_with_the_campus_clock() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let at = |t: &str| t.parse::<Timestamp>().unwrap();
        let report = UnclosedReport {
            since: at("2026-11-21T08:00:00Z"),
            until: at("2026-11-21T10:00:00Z"),
            count: 1,
            open: 1,
            active: 0,
            buckets: vec![
                UnclosedBucket { start: at("2026-11-21T08:00:00Z"), open: 1, active: 0 },
                UnclosedBucket { start: at("2026-11-21T09:00:00Z"), open: 0, active: 0 },
            ],
        };
        assert_eq!(bucket_labels(&report, &tz), ["09:00", "10:00"]);
    }

    #[test]
    fn resolution_chart_has_mean_and_median_per_month() {
        let report = ResolutionReport {
            time_zone: "Europe/Berlin".into(),
            months: vec![
                MonthResolution { month: "2026-09".into(), closed: 3, mean_hours: 30.0, median_hours: 20.0 },
                MonthResolution { month: "2026-10".into(), closed: 1, mean_hours: 5.5, median_hours: 5.5 },
            ],
        };
        let svg = resolution_chart(&report).unwrap().wide;
        assert_eq!(rects_in(&svg, MEAN_COLOUR), 3);
        assert_eq!(rects_in(&svg, MEDIAN_COLOUR), 3);
        assert!(has_text(&svg, "Sep 2026") && has_text(&svg, "Oct 2026"));
        assert!(svg.contains("Hours to resolve"));
    }

    #[test]
    fn category_chart_has_one_bar_per_busy_category() {
        let report = ActiveByCategory {
            categories: vec![
                CategoryCount { category: Category::Facility, active: 2 },
                CategoryCount { category: Category::It, active: 5 },
                CategoryCount { category: Category::Services, active: 0 },
            ],
        };
        let charts = category_chart(&report).unwrap();
        let svg = charts.wide;
        assert_eq!(rects_in(&svg, CATEGORY_COLOURS[0]), 1);
        assert_eq!(rects_in(&svg, CATEGORY_COLOURS[1]), 1);
        assert_eq!(rects_in(&svg, CATEGORY_COLOURS[2]), 0);
        for label in ["Facility management", "Technical IT", "Services"] {
            assert!(has_text(&svg, label), "{label} missing");
        }
        // The phone drawing: the same bars, short names, a smaller canvas, larger text.
        let compact = charts.compact;
        assert!(compact.starts_with("<svg width=\"320\" height=\"300\""), "{}", &compact[..80]);
        assert_eq!(rects_in(&compact, CATEGORY_COLOURS[1]), 1);
        for label in ["Facility", "IT", "Services"] {
            assert!(has_text(&compact, label), "{label} missing");
        }
        assert!(compact.contains("font-size=\"13.7"), "17 / 1.24 units");
    }

    #[test]
    fn month_labels_are_readable() {
        assert_eq!(month_label("2026-01"), "Jan 2026");
        assert_eq!(month_label("garbage"), "garbage");
    }
}
