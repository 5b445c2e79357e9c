// Times the outcome explorer of threadline-bench-wasm inside the browser that loads
// index.html (scripts/bench-browser.sh drives headless Chromium and Firefox to it).
//
// Two measurements, each one wasm call timed with performance.now(), after one warm-up
// call, reported as the median of a few repetitions (the warm-up call's time is kept
// apart, as first_ms: it is what a freshly loaded page costs):
//   - the lost update explored to the end (bound 3, reduction on): schedules per second;
//   - every schedule of each seed scenario: milliseconds (the target is under 1 s each);
//   - the longest slice of an exploration made the page's way (SLICED below): each
//     call simulates about SLICE_INSTRUCTIONS instructions, however long the runs are.
// The page yields to the event loop (setTimeout 0) before every call, so it keeps
// drawing between calls. It publishes its progress in window.benchProgress and, at the
// end, the results (or { error }) in window.benchResult.

const params = new URLSearchParams(location.search);
const QUICK = params.get('quick') === '1';
const REPS = QUICK ? { lostUpdate: 3, seedScenario: 3 } : { lostUpdate: 9, seedScenario: 7 };
const LOST_UPDATE = { reduction: true, preemption_bound: 3 };
const LIMIT_MS = 1000;
// The page's slices (STEP_INSTRUCTIONS in src/components/explorer_panel.rs), on a
// scenario whose runs are 50 million instructions long, and on the slowest seed scenario.
const SLICE_INSTRUCTIONS = 20000;
const SLICED = [
    { id: 'daemon-busy-thread', max_schedules: 2 },
    { id: 'mp-is-alive-busy-loop', max_schedules: 2 },
];

const statusLine = document.getElementById('status');
const log = document.getElementById('log');

function progress(text) {
    window.benchProgress = text;
    statusLine.textContent = text;
}

function logLine(text) {
    log.textContent += text + '\n';
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

function median(values) {
    const v = [...values].sort((a, b) => a - b);
    const n = v.length;
    if (n === 0) return NaN;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

const round = (x, digits) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

// The smallest step performance.now() takes here (browsers coarsen it, more so without
// cross-origin isolation).
function timerStep() {
    let step = Infinity;
    for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        let t1 = t0;
        while (t1 === t0) t1 = performance.now();
        step = Math.min(step, t1 - t0);
    }
    return round(step, 4);
}

// One warm-up call of `call` (returning the wasm side's JSON), then `reps` timed calls,
// each in its own task. Every call must describe the same exploration.
async function timeCalls(call, reps) {
    await nextTask();
    const f0 = performance.now();
    const first = call();
    const firstMs = performance.now() - f0;
    const result = JSON.parse(first);
    if (result.error) throw new Error(result.error);
    const samples = [];
    for (let k = 0; k < reps; k++) {
        await nextTask();
        const t0 = performance.now();
        const out = call();
        const t1 = performance.now();
        samples.push(t1 - t0);
        if (out !== first) throw new Error(`two runs of the same exploration differ: ${first} vs ${out}`);
    }
    return {
        ...result,
        first_ms: round(firstMs, 3),
        ms_median: round(median(samples), 3),
        ms_min: round(Math.min(...samples), 3),
        ms_max: round(Math.max(...samples), 3),
        samples_ms: samples.map((s) => round(s, 3)),
    };
}

// Explores scenario `id` in slices, timing every call; yields to the event loop
// every 30 ms, as the page does.
async function timeSlices(wasm, id, maxSchedules) {
    const x = new wasm.SlicedExploration(id, maxSchedules);
    const samples = [];
    const t0 = performance.now();
    let more = true;
    let yielded = t0;
    while (more) {
        const s0 = performance.now();
        more = x.advance(SLICE_INSTRUCTIONS);
        const s1 = performance.now();
        samples.push(s1 - s0);
        if (s1 - yielded > 30) {
            await nextTask();
            yielded = performance.now();
        }
    }
    const schedules = x.schedules();
    x.free();
    return {
        schedules,
        calls: samples.length,
        total_ms: round(performance.now() - t0, 1),
        ms_max: round(Math.max(...samples), 3),
        ms_median: round(median(samples), 3),
    };
}

async function main() {
    const started = performance.now();
    const wasm = await import('./pkg/threadline_bench_wasm.js');
    const t0 = performance.now();
    await wasm.default();
    const initMs = performance.now() - t0;

    progress('lost update');
    const lost = await timeCalls(
        () => wasm.explore_lost_update(LOST_UPDATE.reduction, LOST_UPDATE.preemption_bound),
        REPS.lostUpdate,
    );
    const lostUpdate = {
        ...LOST_UPDATE,
        ...lost,
        schedules_per_sec: Math.round(lost.schedules / (lost.ms_median / 1000)),
    };
    logLine(`lost update: ${lost.schedules} schedules in ${lost.ms_median} ms (${lostUpdate.schedules_per_sec} schedules/s)`);

    const ids = JSON.parse(wasm.seed_scenario_ids());
    const seeds = [];
    for (const [k, id] of ids.entries()) {
        progress(`seed scenario ${k + 1}/${ids.length}: ${id}`);
        const row = { id, ...(await timeCalls(() => wasm.explore_scenario(id), REPS.seedScenario)) };
        seeds.push(row);
        logLine(`${id}: ${row.schedules} schedules in ${row.ms_median} ms`);
    }

    const sliced = [];
    for (const { id, max_schedules } of SLICED) {
        progress(`slices: ${id}`);
        const row = { id, max_schedules, ...(await timeSlices(wasm, id, max_schedules)) };
        sliced.push(row);
        logLine(`${id}: ${row.calls} slices, longest ${row.ms_max} ms`);
    }

    const slowest = seeds.reduce((a, b) => (b.ms_median > a.ms_median ? b : a));
    const over = seeds.filter((r) => r.ms_median >= LIMIT_MS || !r.complete).map((r) => r.id);
    return {
        user_agent: navigator.userAgent,
        hardware_concurrency: navigator.hardwareConcurrency,
        cross_origin_isolated: self.crossOriginIsolated === true,
        timer_step_ms: timerStep(),
        quick: QUICK,
        reps: { lost_update: REPS.lostUpdate, seed_scenario: REPS.seedScenario },
        wasm_init_ms: round(initMs, 3),
        lost_update: lostUpdate,
        seed_scenarios: seeds,
        seed_summary: {
            count: seeds.length,
            schedules_total: seeds.reduce((a, r) => a + r.schedules, 0),
            ms_total: round(seeds.reduce((a, r) => a + r.ms_median, 0), 3),
            first_ms_total: round(seeds.reduce((a, r) => a + r.first_ms, 0), 3),
            slowest: { id: slowest.id, ms_median: slowest.ms_median },
            limit_ms: LIMIT_MS,
            over_limit: over,
            all_under_limit: over.length === 0,
        },
        slice_instructions: SLICE_INSTRUCTIONS,
        sliced,
        page_s: round((performance.now() - started) / 1000, 2),
    };
}

main().then(
    (result) => {
        progress(`done in ${result.page_s} s`);
        window.benchResult = result;
    },
    (e) => {
        progress(`failed: ${e}`);
        window.benchResult = { error: String(e && e.stack ? e.stack : e) };
    },
);
