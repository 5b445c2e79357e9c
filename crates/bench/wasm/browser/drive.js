#!/usr/bin/env node
// Serves the explorer benchmark page and runs it in one headless browser over WebDriver,
// then prints the results as a table (scripts/bench-browser.sh runs it once per browser).
//
//   node crates/bench/wasm/browser/drive.js --browser chromium|firefox --pkg DIR
//        [--quick] [--json-out FILE] [--timeout SECONDS]
//
// --browser   chromium (/usr/bin/chromium through /usr/bin/chromedriver) or firefox
//             (firefox-esr through geckodriver, both from PATH)
// --pkg       the `wasm-bindgen --target web` output of threadline-bench-wasm
// --quick     fewer repetitions (the page's ?quick=1)
// --json-out  also write the results as JSON
// --timeout   how long the page may take to publish its results (default 600 s)
//
// The page (index.html + bench-page.js beside this file) and --pkg (as pkg/) are served on a
// free port of 127.0.0.1; the WebDriver server gets another. Only Node's built-ins are used:
// http for the server, fetch for the WebDriver protocol. The session, the WebDriver server
// and the HTTP server are stopped on the way out, also after an error or SIGINT/SIGTERM.
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

const PAGE_DIR = __dirname;

const BROWSERS = {
    chromium: {
        title: 'Chromium',
        driver: () => ({ command: '/usr/bin/chromedriver', args: (port) => [`--port=${port}`] }),
        capabilities: () => ({
            browserName: 'chrome',
            'goog:chromeOptions': {
                binary: '/usr/bin/chromium',
                args: [
                    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                    '--no-first-run', '--disable-extensions', '--disable-sync',
                    '--disable-background-networking', '--disable-component-update',
                    // A headless page counts as visible, but keep timers unthrottled anyway.
                    '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
                    '--disable-backgrounding-occluded-windows',
                ],
            },
        }),
    },
    firefox: {
        title: 'Firefox',
        driver: () => ({
            command: which('geckodriver'),
            args: (port) => ['--host', '127.0.0.1', '--port', String(port)],
        }),
        capabilities: () => ({
            browserName: 'firefox',
            'moz:firefoxOptions': { binary: which('firefox-esr'), args: ['-headless'] },
        }),
    },
};

const CONTENT_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.wasm': 'application/wasm',
    '.json': 'application/json',
};

function parseArgs(argv) {
    const args = { browser: null, pkg: null, quick: false, jsonOut: null, timeout: 600 };
    for (let i = 0; i < argv.length; i++) {
        const value = () => {
            if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
            return argv[++i];
        };
        switch (argv[i]) {
            case '--browser': args.browser = value(); break;
            case '--pkg': args.pkg = value(); break;
            case '--quick': args.quick = true; break;
            case '--json-out': args.jsonOut = value(); break;
            case '--timeout': args.timeout = Number(value()); break;
            default: throw new Error(`unknown argument ${argv[i]}`);
        }
    }
    if (!BROWSERS[args.browser]) throw new Error(`--browser must be one of: ${Object.keys(BROWSERS).join(', ')}`);
    if (!args.pkg) throw new Error('--pkg DIR is required');
    if (!(args.timeout > 0)) throw new Error('--timeout needs a positive number of seconds');
    return args;
}

function which(name) {
    for (const dir of (process.env.PATH || '').split(path.delimiter)) {
        const file = path.join(dir || '.', name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return file;
        } catch {
            // not in this directory
        }
    }
    throw new Error(`${name} not found on PATH; scripts/setup.sh installs it`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Set on SIGINT/SIGTERM. The run then fails as its session goes away, and a Ctrl-C may
// have stopped the WebDriver server too: neither is worth a message.
let stopping = false;

// Things to undo on the way out, newest first; each runs at most once.
const cleanups = [];
async function cleanUp() {
    while (cleanups.length) {
        const undo = cleanups.pop();
        try {
            await undo();
        } catch (e) {
            if (!stopping) console.error(`drive.js: while cleaning up: ${e.message}`);
        }
    }
}

// Serves `/` and the page's files from PAGE_DIR and `/pkg/...` from `pkgDir`. The
// cross-origin isolation headers give the page finer performance.now() steps.
function serve(pkgDir) {
    const roots = { page: path.resolve(PAGE_DIR), pkg: path.resolve(pkgDir) };
    const server = http.createServer((req, res) => {
        const urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
        const [root, rel] = urlPath.startsWith('/pkg/')
            ? [roots.pkg, urlPath.slice('/pkg/'.length)]
            : [roots.page, urlPath === '/' ? 'index.html' : urlPath.slice(1)];
        const file = path.resolve(root, rel);
        const type = CONTENT_TYPES[path.extname(file)];
        if (!file.startsWith(root + path.sep) || !type || req.method !== 'GET') {
            res.writeHead(404).end();
            return;
        }
        fs.readFile(file, (err, body) => {
            if (err) {
                res.writeHead(404).end();
                return;
            }
            res.writeHead(200, {
                'Content-Type': type,
                'Cache-Control': 'no-store',
                'Cross-Origin-Opener-Policy': 'same-origin',
                'Cross-Origin-Embedder-Policy': 'require-corp',
            });
            res.end(body);
        });
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            cleanups.push(() => new Promise((done) => {
                server.close(done);
                server.closeAllConnections();
            }));
            resolve(server.address().port);
        });
    });
}

function freePort() {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address();
            probe.close(() => resolve(port));
        });
    });
}

// Starts the WebDriver server and waits until its /status says it is ready.
async function startDriver(browser, logFile) {
    const { command, args } = BROWSERS[browser].driver();
    const port = await freePort();
    const log = fs.openSync(logFile, 'w');
    const child = spawn(command, args(port), { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    let exited = null;
    const exit = new Promise((resolve) => child.once('exit', (code, signal) => {
        exited = signal || `exit code ${code}`;
        resolve();
    }));
    child.once('error', (e) => { exited = e.message; });
    cleanups.push(async () => {
        if (exited) return;
        child.kill('SIGTERM');
        await Promise.race([exit, sleep(5000)]);
        if (!exited) child.kill('SIGKILL');
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
        if (exited) throw new Error(`${command} stopped (${exited}): ${tail(logFile)}`);
        try {
            const r = await fetch(`${base}/status`, { signal: AbortSignal.timeout(2000) });
            const status = await r.json();
            if (status.value && status.value.ready) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`${command} did not get ready within 30 s: ${tail(logFile)}`);
        await sleep(100);
    }
    return { base, version: driverVersion(command) };
}

function driverVersion(command) {
    const r = spawnSync(command, ['--version'], { encoding: 'utf8' });
    return (r.stdout || '').split('\n')[0].trim();
}

function tail(file, lines = 15) {
    try {
        return '\n' + fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
        return '(no log)';
    }
}

// One WebDriver command; returns its `value` or throws the driver's error message.
async function command(base, method, route, body, timeoutMs = 120_000) {
    const r = await fetch(base + route, {
        method,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    let reply;
    try {
        reply = JSON.parse(text);
    } catch {
        throw new Error(`${method} ${route}: HTTP ${r.status}: ${text.slice(0, 300)}`);
    }
    const value = reply.value;
    if (!r.ok || (value && value.error)) {
        const what = value && value.error ? `${value.error}: ${value.message}` : `HTTP ${r.status}`;
        throw new Error(`${method} ${route}: ${what}`);
    }
    return value;
}

async function runInBrowser(args, work) {
    const pagePort = await serve(args.pkg);
    const url = `http://127.0.0.1:${pagePort}/${args.quick ? '?quick=1' : ''}`;
    const driver = await startDriver(args.browser, path.join(work, 'driver.log'));

    const session = await command(driver.base, 'POST', '/session', {
        capabilities: { alwaysMatch: BROWSERS[args.browser].capabilities() },
    }, 90_000);
    const sid = session.sessionId;
    cleanups.push(() => command(driver.base, 'DELETE', `/session/${sid}`, undefined, 30_000));
    const s = `/session/${sid}`;
    await command(driver.base, 'POST', `${s}/timeouts`, { script: 120_000, pageLoad: 60_000 });
    await command(driver.base, 'POST', `${s}/url`, { url });

    // The page's longest call blocks its thread for about a second, and executeScript waits
    // for it; poll every half second until the page publishes its results.
    const deadline = Date.now() + args.timeout * 1000;
    let last = null;
    for (;;) {
        const state = await command(driver.base, 'POST', `${s}/execute/sync`, {
            script: 'return window.benchResult === undefined ? { progress: window.benchProgress || null } : { result: window.benchResult };',
            args: [],
        });
        if (state.result) {
            if (state.result.error) throw new Error(`the page failed: ${state.result.error}`);
            return {
                browser: args.browser,
                browser_name: session.capabilities.browserName,
                browser_version: session.capabilities.browserVersion,
                driver: driver.version,
                url,
                ...state.result,
            };
        }
        if (state.progress !== last) {
            last = state.progress;
            if (last) console.log(`    ${last}`);
        }
        if (Date.now() > deadline) {
            throw new Error(`the page published no results within ${args.timeout} s (last progress: ${last || 'none; did the page load?'})`);
        }
        await sleep(500);
    }
}

function fmtMs(x) {
    if (x == null || !Number.isFinite(x)) return '-';
    return x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

function printReport(r) {
    const title = BROWSERS[r.browser].title;
    console.log();
    console.log(`Outcome explorer in headless ${title} ${r.browser_version} (wasm; medians of ${r.reps.lost_update} timed calls for the lost update, ${r.reps.seed_scenario} per seed scenario, after a first, warm-up call)`);
    const load = os.loadavg()[0];
    if (load > os.cpus().length) {
        console.log(`The machine is busy (load average ${load.toFixed(2)} on ${os.cpus().length} cores): times include waiting for a core.`);
    }
    console.log(`  performance.now() step ${r.timer_step_ms} ms${r.cross_origin_isolated ? ' (cross-origin isolated)' : ''}; wasm module loaded in ${fmtMs(r.wasm_init_ms)}`);
    console.log();
    const lu = r.lost_update;
    console.log(`  lost update (2 threads x 3 increments), bound ${lu.preemption_bound}, reduction ${lu.reduction ? 'on' : 'off'}:`);
    console.log(`    ${fmtInt(lu.schedules)} schedules, ${lu.outcomes} outcomes, ${fmtMs(lu.ms_median)} (min ${fmtMs(lu.ms_min)}, first call ${fmtMs(lu.first_ms)}): ${fmtInt(lu.schedules_per_sec)} schedules/s`);
    console.log();
    const width = Math.max(36, ...r.seed_scenarios.map((row) => row.id.length)) + 2;
    const line = (cols) => ('  ' + cols[0].padEnd(width) + cols.slice(1).map((c) => String(c).padStart(11)).join('')).trimEnd();
    console.log(line(['seed scenario (every schedule)', 'schedules', 'outcomes', 'median', 'min', 'first call']));
    for (const row of r.seed_scenarios) {
        const flag = !row.complete ? '  (stopped at the schedule limit)' : row.ms_median >= r.seed_summary.limit_ms ? '  over 1 s' : '';
        console.log(line([row.id, fmtInt(row.schedules), row.outcomes, fmtMs(row.ms_median), fmtMs(row.ms_min), fmtMs(row.first_ms)]) + flag);
    }
    const sum = r.seed_summary;
    console.log(line([`all ${sum.count} seed scenarios together`, fmtInt(sum.schedules_total), '', fmtMs(sum.ms_total), '', fmtMs(sum.first_ms_total)]));
    console.log();
    console.log(`  slowest: ${sum.slowest.id}, ${fmtMs(sum.slowest.ms_median)}`);
    console.log(sum.all_under_limit
        ? `  met    every seed scenario fully explored in under 1 s`
        : `  MISSED every seed scenario fully explored in under 1 s: over 1 s or incomplete: ${sum.over_limit.join(', ')}`);
    console.log();
    console.log(`  the page's slices (about ${fmtInt(r.slice_instructions)} instructions per call):`);
    for (const s of r.sliced) {
        console.log(`    ${s.id}, ${s.schedules} schedules: ${fmtInt(s.calls)} calls in ${fmtMs(s.total_ms)}, longest ${fmtMs(s.ms_max)}, median ${fmtMs(s.ms_median)}`);
    }
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadline-bench-browser-'));
    cleanups.push(() => fs.rmSync(work, { recursive: true, force: true }));
    const report = await runInBrowser(args, work);
    report.load_average = os.loadavg().map((l) => Number(l.toFixed(2)));
    await cleanUp();
    printReport(report);
    if (args.jsonOut) {
        fs.writeFileSync(args.jsonOut, JSON.stringify(report, null, 2) + '\n');
        console.log(`  results: ${args.jsonOut}`);
    }
    return 0;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        console.error(`drive.js: ${signal}, stopping the browser`);
        cleanUp().finally(() => process.exit(code));
    });
}

main().then(
    (code) => { process.exitCode = code; },
    async (e) => {
        if (stopping) return;
        console.error(`drive.js: ${e.message}`);
        await cleanUp();
        process.exitCode = 1;
    },
);
