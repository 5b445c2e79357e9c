//! The drawing's style sheet.

/// The drawing's own style sheet, put inside the `<svg>`: the page's CSS
/// variables (light and dark) where the page defines them, and the light
/// theme's values otherwise, so that the SVG saved alone looks as in the page.
pub const SVG_STYLE: &str = r#"
.tl-svg { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11px; }
.tl-svg text { fill: var(--fg, #1d2430); }
.tl-background { fill: var(--pane, #ffffff); }
.tl-svg .axis line { stroke: var(--grid, #d9dde4); stroke-width: 1; }
.tl-svg .axis text { fill: var(--muted, #5b6576); text-anchor: middle; }
.tl-svg .lane-background { fill: var(--lane-bg, #eef0f4); }
.tl-svg .lane-label, .tl-svg .process-label { dominant-baseline: central; }
.tl-svg .process-label { font-weight: bold; }
.tl-svg .timeline-empty { fill: var(--muted, #5b6576); }
.bar.state-new { fill: var(--state-new, #c2c7cf); }
.bar.state-ready { fill: var(--state-ready, #e3a21a); }
.bar.state-running { fill: var(--state-running, #2a9d4b); }
.bar.state-sleeping { fill: var(--state-sleeping, #3f86d8); }
.bar.state-blocked { fill: var(--state-blocked, #d3435c); }
.bar.state-finished { fill: var(--state-finished, #7c8593); }
.bar.state-failed { fill: var(--state-failed, #a1231a); }
.bar.state-abandoned { fill: var(--state-abandoned, #9360d1); }
.bar.state-killed { fill: var(--state-killed, #3b3b3b); }
.bar.wait-join { fill: url(#tl-pat-join); }
.bar.wait-event { fill: url(#tl-pat-event); }
.bar.wait-lock { fill: url(#tl-pat-lock); }
.bar.wait-queue { fill: url(#tl-pat-queue); }
.bar.wait-process { fill: url(#tl-pat-process); }
.bar.wait-shutdown { fill: url(#tl-pat-shutdown); }
.pat-bg { fill: var(--state-blocked, #d3435c); }
.pat-bg-shutdown { fill: var(--state-finished, #7c8593); }
.pat-ink { stroke: var(--pane, #ffffff); stroke-width: 1.6; fill: none; opacity: 0.75; }
.pat-dot { fill: var(--pane, #ffffff); opacity: 0.8; }
.bar.busy { stroke: var(--fg, #1d2430); stroke-width: 0.5; stroke-dasharray: 1 1; }
.proc-running { fill: var(--accent, #2864cf); opacity: 0.35; }
.proc-zombie { fill: url(#tl-pat-zombie); }
.pat-zombie-bg { fill: var(--state-finished, #7c8593); opacity: 0.5; }
.pat-zombie-ink { stroke: var(--fg, #1d2430); stroke-width: 1; opacity: 0.6; }
.proc-dead { fill: var(--muted, #5b6576); opacity: 0.45; }
.marker path { stroke: var(--fg, #1d2430); stroke-width: 1.4; fill: var(--pane, #ffffff); }
.marker-output path, .marker-stderr path { stroke-width: 1.6; }
.marker-stderr path { stroke: var(--state-failed, #a1231a); }
.marker-start path, .marker-process-start path { fill: var(--state-running, #2a9d4b); }
.marker-join path { fill: var(--state-sleeping, #3f86d8); }
.marker-signal path { fill: var(--state-ready, #e3a21a); }
.marker-exit path { fill: var(--fg, #1d2430); }
.marker-kill path, .marker-uncaught path { stroke: var(--state-failed, #a1231a); stroke-width: 2.2; }
.marker-reparent path { fill: none; stroke: var(--state-abandoned, #9360d1); }
.marker-choice path { fill: none; stroke: var(--accent, #2864cf); stroke-width: 1.5; }
.marker-other-choice path { fill: var(--accent, #2864cf); stroke: var(--fg, #1d2430); stroke-width: 1.5; }
.marker .arrow { stroke: var(--muted, #5b6576); stroke-width: 1; fill: none; marker-end: url(#tl-arrowhead); }
.marker-signal .arrow { stroke: var(--state-ready, #e3a21a); stroke-dasharray: 3 2; }
.tl-arrowhead { fill: var(--muted, #5b6576); }
.marker .hit { fill: transparent; stroke: none; }
.cursor-line { stroke: var(--accent, #2864cf); stroke-width: 2; }
.cursor-handle { fill: var(--accent, #2864cf); }
.tl-svg [tabindex]:focus { outline: none; }
.tl-svg [tabindex]:focus-visible > rect, .tl-svg rect[tabindex]:focus-visible { stroke: var(--accent, #2864cf); stroke-width: 2; }
.tl-svg .marker:focus-visible path { stroke: var(--accent, #2864cf); stroke-width: 2.5; }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svg_style_falls_back_to_the_light_theme_colours() {
        // Every `var(--name, value)` of the drawing's style sheet falls back to
        // the light value the page's style sheet gives `--name`.
        let page = include_str!("../../static/style.css");
        let light = &page[..page.find("@media").expect("the layout's media queries")];
        let mut checked = 0;
        for part in SVG_STYLE.split("var(--").skip(1) {
            let (name, rest) = part.split_once(',').expect("a fallback");
            let fallback = rest.trim_start().split(')').next().unwrap().trim();
            let declared = light
                .lines()
                .find_map(|l| l.trim().strip_prefix(&format!("--{name}:")))
                .unwrap_or_else(|| panic!("--{name} is a variable of static/style.css"));
            // `light-dark(light, dark)`, or one value for both themes.
            let declared = declared.trim().trim_end_matches(';');
            let light_value = declared
                .strip_prefix("light-dark(")
                .and_then(|pair| pair.split(',').next())
                .unwrap_or(declared)
                .trim();
            assert_eq!(light_value, fallback, "--{name}");
            checked += 1;
        }
        assert!(checked > 20);
    }
}
