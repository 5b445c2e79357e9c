// Accessibility check of the built page: loads each view below in headless
// Chromium (playwright-core, /usr/bin/chromium), runs axe-core in it and
// lists every violation. Exits with 1 if there is any.
//
//   node tools/a11y.mjs BASE_URL TOOLS_DIR
//
// BASE_URL serves dist/ (scripts/a11y.sh starts a server); TOOLS_DIR holds
// node_modules with axe-core and playwright-core (scripts/setup.sh installs them).

import { createRequire } from "node:module";
import path from "node:path";

const [base, toolsDir] = process.argv.slice(2);
if (!base || !toolsDir) {
    console.error("usage: node tools/a11y.mjs BASE_URL TOOLS_DIR");
    process.exit(2);
}
const require = createRequire(path.join(path.resolve(toolsDir), "node_modules", "index.js"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

// Each view: a name, the address (relative to BASE_URL), and what to do once
// the timeline is drawn.
const views = [
    { name: "main page", url: "" },
    { name: "main page, dark", url: "?theme=dark" },
    { name: "main page, light", url: "?theme=light" },
    { name: "a Ctrl-C scenario, mid-run", url: "?scenario=bg-loop-daemon-join-ctrlc&step=6" },
    { name: "My script", url: "#my-script" },
    {
        name: "the explorer with outcomes",
        url: "?scenario=lost-update",
        async then(page) {
            await page.click("[data-testid=explore]");
            await page.waitForSelector("[data-testid=outcome]", { timeout: 60000 });
        },
    },
    {
        name: "the scenario header unfolded and the key open",
        url: "",
        async then(page) {
            await page.click("[data-testid=info-more]");
            await page.click("[data-testid=timeline-legend] summary");
        },
    },
    { name: "embed, light", url: "?embed=1&scenario=daemon-join&theme=light" },
    { name: "embed, dark", url: "?embed=1&scenario=daemon-join&theme=dark" },
];

const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
let failures = 0;
try {
    for (const view of views) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const errors = [];
        page.on("pageerror", (error) => errors.push(String(error)));
        await page.goto(new URL(view.url, base).href);
        await page.waitForSelector("[data-testid=timeline-svg]", { timeout: 60000 });
        if (view.then) {
            await view.then(page);
        }
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () => {
            // eslint-disable-next-line no-undef
            const r = await axe.run(document, { resultTypes: ["violations"] });
            return r.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`),
                count: v.nodes.length,
            }));
        });
        if (errors.length) {
            console.log(`FAIL  ${view.name}: page errors: ${errors.join("; ")}`);
            failures += 1;
        }
        if (result.length === 0) {
            console.log(`ok    ${view.name}`);
        } else {
            failures += 1;
            console.log(`FAIL  ${view.name}: ${result.length} violation(s)`);
            for (const v of result) {
                console.log(`      ${v.id} (${v.impact}, ${v.count} element(s)): ${v.help}`);
                for (const n of v.nodes) {
                    console.log(`        ${n.replace(/\n/g, " ")}`);
                }
            }
        }
        await page.close();
    }
} finally {
    await browser.close();
}
if (failures > 0) {
    console.log(`${failures} view(s) with accessibility problems`);
    process.exit(1);
}
console.log(`no axe-core violations in ${views.length} views`);
