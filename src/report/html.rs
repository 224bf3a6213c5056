//! A report as one self-contained HTML page: inline CSS, charts as inline SVG
//! drawn here, no script, nothing remote (a Content-Security-Policy that
//! forbids loading anything says so to the browser too). Prints on letter
//! paper. Every text of the page comes from Fluent, every figure from
//! `Report`, which holds no person's details.

use super::{Report, Small, Span};
use crate::html::esc;
use crate::i18n::{date, number, text, text_args, Lang};
use chrono::NaiveDate;
use std::fmt::Write;

fn tr(lang: Lang, id: &str) -> String {
    esc(&text(lang, id))
}

fn tra(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    esc(&text_args(lang, id, args))
}

fn trc(lang: Lang, id: &str, count: u64, args: &[(&str, String)]) -> String {
    esc(&crate::i18n::text_count(lang, id, count, args))
}

fn n(lang: Lang, x: u64) -> String {
    number(lang, x)
}

fn small(lang: Lang, s: Small) -> String {
    match s {
        Small::Count(x) => n(lang, x),
        Small::FewerThan(t) => tra(lang, "report-fewer-than", &[("n", t.to_string())]),
        Small::Withheld => tr(lang, "report-withheld"),
    }
}

fn month_label(lang: Lang, ym: &str) -> String {
    let m: u32 = ym.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    text(lang, &format!("month-{m}"))
}

/// The title of the report: bulletin or annual report.
pub fn title(lang: Lang, r: &Report) -> String {
    text(
        lang,
        if r.annual {
            "report-title-annual"
        } else {
            "report-title-bulletin"
        },
    )
}

/// The period as words: "2026, quarter 4", "2026", or the two dates.
pub fn period_text(lang: Lang, r: &Report) -> String {
    let range = text_args(
        lang,
        "report-period",
        &[
            ("from", date(lang, r.period.from)),
            ("to", date(lang, r.period.to)),
        ],
    );
    match r.period.span {
        Span::Quarter { year, quarter } => format!(
            "{} ({range})",
            text_args(
                lang,
                "report-period-quarter",
                &[("year", year.to_string()), ("quarter", quarter.to_string())]
            )
        ),
        Span::Year { year } => format!("{year} ({range})"),
        Span::Dates => range,
    }
}

/// The report's stylesheet: inline in a saved report, the app's
/// `ui/report.css` (the same text) in the app's frame.
pub const CSS: &str = "@page{size:letter;margin:0.7in}\
*{box-sizing:border-box}\
body{font:11pt/1.45 'Helvetica Neue',Arial,sans-serif;color:#1b1b1b;margin:0 auto;max-width:7.1in;padding:0.3in 0}\
h1{font-size:22pt;margin:0;color:#7a2e0e}h2{font-size:14pt;margin:1.4em 0 .4em;color:#7a2e0e;border-bottom:2px solid #e8c9a9;padding-bottom:.15em;break-after:avoid}\
p{margin:.3em 0}.period{color:#555;margin-bottom:1em}\
table{border-collapse:collapse;width:100%;margin:.4em 0;break-inside:avoid}\
th,td{text-align:left;padding:.25em .5em;border-bottom:1px solid #ddd;vertical-align:top}\
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
section{break-inside:avoid}svg{display:block;margin:.5em 0;max-width:100%}\
.muted{color:#666}.foot{margin-top:2em;font-size:9pt;color:#555;border-top:1px solid #ccc;padding-top:.5em}\
@media print{body{padding:0}}";

/// The report as one self-contained HTML page in `lang`.
pub fn render(r: &Report, lang: Lang) -> String {
    page(
        r,
        lang,
        &format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><style>{CSS}</style>"
        ),
    )
}

/// The same page with its stylesheet linked (`css`, the app's copy of
/// `CSS`), for the app's frame, whose content policy forbids inline style.
pub fn render_linked(r: &Report, lang: Lang, css: &str) -> String {
    page(
        r,
        lang,
        &format!("<link rel=\"stylesheet\" href=\"{}\">", esc(css)),
    )
}

fn page(r: &Report, lang: Lang, head: &str) -> String {
    let mut h = String::new();
    let title = esc(&title(lang, r));
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
         {head}<title>{title}</title></head><body>\
         <h1>{title}</h1><p class=period>{period}</p>",
        code = lang.as_str(),
        period = esc(&period_text(lang, r)),
    );
    demands(&mut h, r, lang);
    pledges(&mut h, r, lang);
    activity(&mut h, r, lang);
    orgs(&mut h, r, lang);
    people(&mut h, r, lang);
    let _ = write!(
        h,
        "<section><h2>{}</h2><p>{}</p></section>",
        tr(lang, "report-follow-ups"),
        tra(
            lang,
            "report-follow-ups-line",
            &[
                ("done", n(lang, r.follow_ups.done)),
                ("open", n(lang, r.follow_ups.open))
            ]
        )
    );
    growth(&mut h, r, lang);
    let _ = write!(
        h,
        "<p class=foot>{}</p></body></html>",
        tra(lang, "report-footer", &[("n", r.threshold.to_string())])
    );
    h
}

fn status(lang: Lang, s: crate::model::DemandStatus) -> String {
    tr(lang, &s.message_id())
}

fn demands(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(h, "<section><h2>{}</h2>", tr(lang, "report-demands"));
    if r.demands.is_empty() {
        let _ = write!(
            h,
            "<p class=muted>{}</p></section>",
            tr(lang, "report-none")
        );
        return;
    }
    let _ = write!(
        h,
        "<p>{}</p><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        trc(lang, "report-demands-won", r.demands_won, &[]),
        tr(lang, "report-demand"),
        tr(lang, "report-demand-status"),
        tr(lang, "report-demand-changes"),
    );
    for d in &r.demands {
        let changes: Vec<String> = d
            .changes
            .iter()
            .map(|(day, s)| format!("{} {}", esc(&date(lang, *day)), status(lang, *s)))
            .collect();
        let mut with = String::new();
        if !d.partners.is_empty() || d.private_partners > 0 {
            let mut names: Vec<String> = d.partners.iter().map(|s| esc(s)).collect();
            if d.private_partners > 0 {
                names.push(trc(
                    lang,
                    "report-demand-private-partners",
                    d.private_partners,
                    &[],
                ));
            }
            let _ = write!(
                with,
                "<br><span class=muted>{} {}</span>",
                tr(lang, "report-demand-with"),
                names.join(" · ")
            );
        }
        let _ = write!(
            h,
            "<tr><td>{}<br><span class=muted>{}</span>{with}</td><td>{}</td><td>{}</td></tr>",
            esc(&d.title),
            esc(&d.target),
            status(lang, d.status),
            if changes.is_empty() {
                "—".to_string()
            } else {
                changes.join("<br>")
            }
        );
    }
    h.push_str("</table></section>");
}

fn pledges(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(h, "<section><h2>{}</h2>", tr(lang, "report-pledges"));
    if r.pledges.is_empty() {
        let _ = write!(
            h,
            "<p class=muted>{}</p></section>",
            tr(lang, "report-none")
        );
        return;
    }
    // One bar per drive: progress against the goal (the goal line at 100%).
    let row = 34;
    let width = 640;
    let bar = 420;
    let height = row * r.pledges.len() + 10;
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        tr(lang, "report-pledges")
    );
    for (i, p) in r.pledges.iter().enumerate() {
        let y = i * row + 4;
        let filled = (p.percent.min(100) as usize) * bar / 100;
        let _ = write!(
            h,
            "<rect x=\"0\" y=\"{y}\" width=\"{bar}\" height=\"20\" fill=\"#f1e4d6\"/>\
             <rect x=\"0\" y=\"{y}\" width=\"{filled}\" height=\"20\" fill=\"#b5522a\"/>\
             <text x=\"{tx}\" y=\"{ty}\" font-size=\"12\" fill=\"#1b1b1b\">{pct}% · {prog}/{goal}</text>",
            tx = bar + 8,
            ty = y + 15,
            pct = p.percent,
            prog = n(lang, p.progress),
            goal = n(lang, p.goal),
        );
    }
    h.push_str("</svg><table>");
    for p in &r.pledges {
        let state = match p.met {
            Some(true) => "report-pledge-met",
            Some(false) => "report-pledge-missed",
            None => "report-pledge-open",
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.title),
            tra(
                lang,
                "report-pledge-line",
                &[
                    ("progress", n(lang, p.progress)),
                    ("goal", n(lang, p.goal)),
                    ("percent", p.percent.to_string()),
                    ("named", n(lang, p.named)),
                    ("paper", n(lang, p.paper)),
                ]
            ),
            tra(
                lang,
                "report-pledge-deadline",
                &[("date", date(lang, p.deadline))]
            ),
            tr(lang, state),
        );
    }
    h.push_str("</table>");
    for p in &r.pledges {
        pledge_line(h, r, p, lang);
    }
    h.push_str("</section>");
}

/// One drive's progress over the period: its running total as a line
/// against the goal (a dashed level) and the deadline (a dashed mark, when
/// it falls in the period).
fn pledge_line(h: &mut String, r: &Report, p: &super::PledgeFig, lang: Lang) {
    let (width, height) = (640i64, 150i64);
    let (left, right, top, bottom) = (44i64, 16i64, 14i64, 26i64);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let days = (r.period.to - r.period.from).num_days().max(1);
    let top_value = p
        .series
        .iter()
        .map(|pt| pt.total)
        .max()
        .unwrap_or(0)
        .max(p.goal)
        .max(1);
    let x = |d: NaiveDate| left + (d - r.period.from).num_days().clamp(0, days) * plot_w / days;
    let y = |v: u64| {
        let v = i64::try_from(v.min(top_value)).unwrap_or(i64::MAX);
        let t = i64::try_from(top_value).unwrap_or(i64::MAX).max(1);
        top + plot_h - v.saturating_mul(plot_h) / t
    };
    let label = tra(lang, "report-pledge-chart", &[("title", p.title.clone())]);
    let base = top + plot_h;
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{label}\">\
         <text x=\"{left}\" y=\"10\" font-size=\"11\" fill=\"#555\">{title}</text>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{xr}\" y2=\"{base}\" stroke=\"#999\"/>\
         <line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\" stroke=\"#999\"/>\
         <text x=\"{lx}\" y=\"{by}\" font-size=\"10\" text-anchor=\"end\">0</text>",
        title = esc(&p.title),
        xr = left + plot_w,
        lx = left - 4,
        by = base + 4,
    );
    // The goal.
    let gy = y(p.goal);
    let _ = write!(
        h,
        "<line x1=\"{left}\" y1=\"{gy}\" x2=\"{xr}\" y2=\"{gy}\" stroke=\"#2f6f6a\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{lx}\" y=\"{ty}\" font-size=\"10\" text-anchor=\"end\">{goal}</text>\
         <text x=\"{gx}\" y=\"{gl}\" font-size=\"10\" fill=\"#2f6f6a\" text-anchor=\"end\">{goal_text}</text>",
        xr = left + plot_w,
        lx = left - 4,
        ty = gy + 4,
        gx = left + plot_w,
        gl = (gy - 3).max(9),
        goal = n(lang, p.goal),
        goal_text = tra(lang, "report-pledge-goal-mark", &[("goal", n(lang, p.goal))]),
    );
    // The deadline, when the period holds it.
    if r.period.contains(p.deadline) {
        let dx = x(p.deadline);
        let _ = write!(
            h,
            "<line x1=\"{dx}\" y1=\"{top}\" x2=\"{dx}\" y2=\"{base}\" stroke=\"#7a2e0e\" stroke-dasharray=\"3 3\"/>\
             <text x=\"{dx}\" y=\"{ly}\" font-size=\"10\" fill=\"#7a2e0e\" text-anchor=\"middle\">{}</text>",
            tra(lang, "report-pledge-deadline", &[("date", date(lang, p.deadline))]),
            ly = base + 20,
        );
    } else {
        let _ = write!(
            h,
            "<text x=\"{left}\" y=\"{ly}\" font-size=\"10\" fill=\"#555\">{}</text>\
             <text x=\"{xr}\" y=\"{ly}\" font-size=\"10\" fill=\"#555\" text-anchor=\"end\">{}</text>",
            esc(&date(lang, r.period.from)),
            esc(&date(lang, r.period.to)),
            ly = base + 14,
            xr = left + plot_w,
        );
    }
    // The running total: a step line (totals change on the days paper came in).
    let mut d = String::new();
    let mut last: Option<(i64, i64)> = None;
    for pt in &p.series {
        let (px, py) = (x(pt.date), y(pt.total));
        match last {
            None => {
                let _ = write!(d, "M{px} {py}");
            }
            Some((_, ly)) => {
                let _ = write!(d, " L{px} {ly} L{px} {py}");
            }
        }
        last = Some((px, py));
    }
    let _ = write!(
        h,
        "<path d=\"{d}\" fill=\"none\" stroke=\"#b5522a\" stroke-width=\"2.5\"/>"
    );
    for pt in &p.series {
        let _ = write!(
            h,
            "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#b5522a\"/>",
            x(pt.date),
            y(pt.total)
        );
    }
    h.push_str("</svg>");
}

fn hbars(h: &mut String, label: &str, rows: &[(String, u64)]) {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row = 26;
    let width = 640;
    let bar = 380;
    let left = 180;
    let height = row * rows.len() + 6;
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{label}\">"
    );
    for (i, (name, v)) in rows.iter().enumerate() {
        let y = i * row + 3;
        let w = (*v as usize) * bar / (max as usize);
        let _ = write!(
            h,
            "<text x=\"{tx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\">{name}</text>\
             <rect x=\"{left}\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"#2f6f6a\"/>\
             <text x=\"{vx}\" y=\"{ty}\" font-size=\"12\">{v}</text>",
            tx = left - 8,
            ty = y + 14,
            vx = left + w + 6,
        );
    }
    h.push_str("</svg>");
}

fn activity(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(
        h,
        "<section><h2>{}</h2><table><tr><th>{}</th><th class=num>{}</th><th class=num>{}</th></tr>",
        tr(lang, "report-activity"),
        tr(lang, "report-activity-kind"),
        tr(lang, "report-held"),
        tr(lang, "report-headcount"),
    );
    let mut bars = Vec::new();
    let (mut held, mut heads) = (0, 0);
    for a in &r.activity {
        let label = tr(lang, &a.kind.message_id());
        let _ = write!(
            h,
            "<tr><td>{label}</td><td class=num>{}</td><td class=num>{}</td></tr>",
            n(lang, a.held),
            n(lang, a.headcount)
        );
        held += a.held;
        heads += a.headcount;
        bars.push((label, a.held));
    }
    let _ = write!(
        h,
        "<tr><th>{}</th><th class=num>{}</th><th class=num>{}</th></tr></table>",
        tr(lang, "report-total"),
        n(lang, held),
        n(lang, heads)
    );
    hbars(h, &tr(lang, "report-activity"), &bars);
    h.push_str("</section>");
}

fn orgs(h: &mut String, r: &Report, lang: Lang) {
    let o = &r.orgs;
    let _ = write!(
        h,
        "<section><h2>{}</h2><p>{}</p><p>{}</p>",
        tr(lang, "report-orgs"),
        trc(
            lang,
            "report-orgs-count",
            o.partners,
            &[("new", n(lang, o.new))]
        ),
        trc(
            lang,
            "report-orgs-immigrant-led",
            o.immigrant_led,
            &[("percent", o.immigrant_led_percent.to_string())]
        ),
    );
    if !o.by_kind.is_empty() {
        let rows: Vec<(String, u64)> = o
            .by_kind
            .iter()
            .map(|(k, v)| {
                let id = crate::model::OrgKind::parse(k)
                    .map(|k| k.message_id())
                    .unwrap_or_default();
                (tr(lang, &id), *v)
            })
            .collect();
        let _ = write!(h, "<p>{}</p>", tr(lang, "report-orgs-by-kind"));
        hbars(h, &tr(lang, "report-orgs-by-kind"), &rows);
    }
    if !o.named.is_empty() {
        let names: Vec<String> = o.named.iter().map(|s| esc(s)).collect();
        let _ = write!(h, "<p>{}</p>", names.join(" · "));
    }
    if o.private > 0 {
        let _ = write!(
            h,
            "<p class=muted>{}</p>",
            trc(lang, "report-orgs-private", o.private, &[])
        );
    }
    h.push_str("</section>");
}

fn people(h: &mut String, r: &Report, lang: Lang) {
    let p = &r.people;
    let _ = write!(
        h,
        "<section><h2>{}</h2><p>{}</p><p>{}</p><table>",
        tr(lang, "report-people"),
        tra(
            lang,
            "report-people-total",
            &[("total", n(lang, p.total)), ("new", n(lang, p.new))]
        ),
        tr(lang, "report-people-by-lang"),
    );
    for (l, c) in &p.by_lang {
        let label = if l == "unknown" {
            tr(lang, "report-lang-unknown")
        } else {
            tr(lang, &format!("lang-{l}"))
        };
        let _ = write!(
            h,
            "<tr><td>{label}</td><td class=num>{}</td></tr>",
            small(lang, *c)
        );
    }
    h.push_str("</table></section>");
}

fn growth(h: &mut String, r: &Report, lang: Lang) {
    let _ = write!(h, "<section><h2>{}</h2>", tr(lang, "report-growth"),);
    let months = &r.growth;
    if months.is_empty() {
        h.push_str("</section>");
        return;
    }
    // Columns: people at the end of each month; the new ones darker.
    let max = months.iter().map(|m| m.people).max().unwrap_or(0).max(1);
    let width = 640usize;
    let chart = 160usize;
    let col = (width - 20) / months.len();
    let barw = col.saturating_sub(8).max(4);
    let height = chart + 40;
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">\
         <line x1=\"10\" y1=\"{base}\" x2=\"{x2}\" y2=\"{base}\" stroke=\"#999\"/>",
        tr(lang, "report-growth"),
        base = chart + 14,
        x2 = width - 10,
    );
    for (i, m) in months.iter().enumerate() {
        let x = 10 + i * col + 4;
        let total_h = (m.people as usize) * chart / (max as usize);
        let new_h = (m.new_people as usize) * chart / (max as usize);
        let _ = write!(
            h,
            "<rect x=\"{x}\" y=\"{ty}\" width=\"{barw}\" height=\"{total_h}\" fill=\"#e8c9a9\"/>\
             <rect x=\"{x}\" y=\"{ny}\" width=\"{barw}\" height=\"{new_h}\" fill=\"#b5522a\"/>\
             <text x=\"{cx}\" y=\"{vy}\" font-size=\"11\" text-anchor=\"middle\">{v}</text>\
             <text x=\"{cx}\" y=\"{ly}\" font-size=\"11\" text-anchor=\"middle\">{label}</text>",
            ty = chart + 14 - total_h,
            ny = chart + 14 - new_h,
            cx = x + barw / 2,
            vy = (chart + 14 - total_h).max(12) - 2,
            v = n(lang, m.people),
            ly = chart + 30,
            label = esc(&month_label(lang, &m.month)),
        );
    }
    h.push_str("</svg>");
    let _ = write!(
        h,
        "<table><tr><th></th><th class=num>{}</th><th class=num>{}</th><th class=num>{}</th></tr>",
        tr(lang, "report-growth-people"),
        tr(lang, "report-growth-new"),
        tr(lang, "report-growth-activities"),
    );
    for m in months {
        let first = NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d").ok();
        let label = match first {
            Some(d) => format!(
                "{} {}",
                month_label(lang, &m.month),
                chrono::Datelike::year(&d)
            ),
            None => m.month.clone(),
        };
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td></tr>",
            esc(&label),
            n(lang, m.people),
            n(lang, m.new_people),
            n(lang, m.activities)
        );
    }
    h.push_str("</table></section>");
}
